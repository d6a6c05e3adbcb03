"""Offline MT on Argos Translate packages (CTranslate2 + SentencePiece)."""
