"""Date formats of the interface languages, where Django's own are not what a newsroom writes:
Django's Ukrainian long date adds the abbreviation of "year" after the year and no comma
before the time; ours reads "17 листопада 2025, 17:55", as Ukrainian agencies date their items."""
