"""``article.docx``: the sample article of ``tests/data/article.md`` as a Word document, built
with python-docx (Word's own styles: Title, Heading 2, List Bullet, Quote; bold, italic,
monospace runs and a hyperlink)."""

from __future__ import annotations

from datetime import datetime
from pathlib import Path


B, I, C = {"bold"}, {"italic"}, {"code"}
# (style, [(text, styles) or (text, styles, url)])
ARTICLE = [
    ("Title", [("Les e-mails de Musk et d’OpenAI dévoilent les tensions des débuts", ())]),
    ("Normal", [
        ("La récente affaire juridique entre ", ()), ("Elon Musk", B), (" et ", ()),
        ("OpenAI", (), "https://openai.com/index/openai-elon-musk/"),
        (" a révélé une série d’emails fascinants impliquant Musk, Sam Altman, et d’autres "
         "acteurs importants des débuts d’OpenAI.", ()),
    ]),
    ("Normal", [
        ("Ces échanges mettent en lumière les tensions et désaccords qui ont façonné le "
         "développement de cette entreprise révolutionnaire, initialement fondée comme une "
         "organisation ", ()), ("à but non lucratif", I), (". ", ()),
        ("Alors que Musk poursuit OpenAI pour pratiques anticoncurrentielles, ces emails "
         "dévoilent ses préoccupations concernant la direction prise par l’organisation.", I),
    ]),
    ("Normal", [("Lire aussi :", ())]),
    ("List Bullet", [("Pourquoi Elon Musk accuse-t-il OpenAI d’avoir trahi sa mission initiale "
                      "et d’avantager Microsoft ?", (), "https://example.org/musk-openai-mission")]),
    ("List Bullet", [("Comment l’engagement élevé des utilisateurs sur Bluesky pourrait-il "
                      "influencer l’avenir des réseaux sociaux décentralisés ?", (),
                      "https://example.org/bluesky")]),
    ("Heading 2", [("Les inquiétudes d’Ilya Sutskever sur le contrôle de Musk", ())]),
    ("Normal", [(
        "Un échange notable provient de l’ancien directeur scientifique d’OpenAI, Ilya "
        "Sutskever, qui exprime ses craintes quant à la volonté de Musk d’exercer un contrôle "
        "absolu sur le développement de l’intelligence artificielle générale (AGI). Malgré "
        "l’affirmation de Musk qu’il ne veut pas contrôler l’AGI, ses actions et ses exigences – "
        "telles que devenir CEO de la société – montrent qu’il attache une grande importance à "
        "son autorité.", ())]),
    ("Quote", [("« Le but d’OpenAI est de rendre l’avenir bon et d’éviter une dictature AGI », "
                "écrivait Sutskever.", ())]),
    ("Heading 2", [("Les alliances stratégique et les occasions manquées", ())]),
    ("Normal", [("Les emails révèlent aussi des réflexions intéressantes autour de partenariats "
                 "potentiels :", ())]),
    ("List Bullet", [("En 2017, OpenAI envisageait d’acquérir le fabricant de puces ", ()),
                     ("Cerebras", B), (", en collaboration avec Tesla.", ())]),
    ("List Bullet", [("Microsoft proposait 60 millions de dollars de puissance de calcul sur "
                      "Azure.", ())]),
    ("List Bullet", [("Le code du projet ", ()), ("gym", C),
                     (" était déjà publié en open source.", ())]),
    ("Normal", [("Ces échanges nous offrent un aperçu rare des luttes de pouvoir et des choix "
                 "stratégiques qui ont façonné OpenAI.", ())]),
]


def write_article_docx(path: Path) -> Path:
    """Write the sample article to ``path`` (the same content on every call)."""
    import docx

    document = docx.Document()
    document.core_properties.author = "Claire Martin"
    document.core_properties.title = ARTICLE[0][1][0][0]
    document.core_properties.created = datetime(2024, 3, 7, 9, 30)
    for style, pieces in ARTICLE:
        paragraph = document.add_paragraph(style=style)
        for text, styles, *url in pieces:
            if url:
                add_hyperlink(paragraph, text, url[0], frozenset(styles))
            else:
                run = paragraph.add_run(text)
                run.bold = True if "bold" in styles else None
                run.italic = True if "italic" in styles else None
                if "code" in styles:
                    run.font.name = "Courier New"
    document.save(str(path))
    return path


def add_hyperlink(paragraph, text: str, url: str, styles=frozenset()):
    """Append a hyperlink to ``url`` showing ``text`` (python-docx has no API for it)."""
    from docx.opc.constants import RELATIONSHIP_TYPE
    from docx.oxml import OxmlElement
    from docx.oxml.ns import qn

    link = OxmlElement("w:hyperlink")
    link.set(qn("r:id"), paragraph.part.relate_to(url, RELATIONSHIP_TYPE.HYPERLINK, True))
    run = paragraph.add_run(text)
    run.bold = True if "bold" in styles else None
    run.italic = True if "italic" in styles else None
    run.font.underline = True
    link.append(run._r)  # moved from the paragraph into the hyperlink
    paragraph._p.append(link)
    return link
