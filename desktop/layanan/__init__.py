"""Layanan area: services, distributions and receipts (issue 4)."""


def fill(text: str, *args) -> str:
    """Put values into a translated text's %1, %2, ... (never f-strings inside tr())."""
    for i in range(len(args), 0, -1):
        text = text.replace(f"%{i}", str(args[i - 1]))
    return text
