"""Date formats of the interface languages, where Django's own are not what a newsroom writes
(Django's Ukrainian long date is "17 листопада 2025 р. 17:55"; ours drops the "р." and keeps
the comma before the time, as Ukrainian agencies date their items)."""
