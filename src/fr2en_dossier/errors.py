"""The one exception type for user errors (bad input, missing model, ...)."""


class Fr2enError(Exception):
    """A user-facing error: the CLI prints ``str(err)`` as one line and exits non-zero.

    ``exit_code`` is 2 for bad input / missing resources, 1 for findings such as lint errors.
    """

    def __init__(self, message: str, exit_code: int = 2):
        super().__init__(message)
        self.exit_code = exit_code
