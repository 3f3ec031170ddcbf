"""Experience feedback, moderation and replies (built by the feedback issue)."""
