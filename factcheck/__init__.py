"""The factcheck project package: settings and URLs only; the domain lives in `claims`."""
