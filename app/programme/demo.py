"""Demo data of the programme's figures: nothing of its own yet (the dashboard reads the other domains' demo)."""


def load(ctx: dict) -> None:
    return None
