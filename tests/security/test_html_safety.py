"""The checker itself must catch what it claims to, or every test built on it proves nothing."""

import pytest

from tests.security.html_safety import assert_html_is_safe, html_safety_problems

UNSAFE = [
    "<script>alert(1)</script>",
    "<SCRIPT>alert(1)</SCRIPT>",
    '<img src="x" onerror="alert(1)">',
    "<svg><g ONLOAD=alert(1)></g></svg>",
    '<a href="javascript:alert(1)">x</a>',
    '<a href="  JaVaScRiPt:alert(1)">x</a>',
    '<a href="jav&#x09;ascript:alert(1)">x</a>',
    '<a href="jav&#x0A;ascript:alert(1)">x</a>',
    '<a href="&#106;avascript:alert(1)">x</a>',
    '<a href="vbscript:msgbox(1)">x</a>',
    '<a href="\x01 \x0e javascript:alert(1)">x</a>',
    '<a href="data:text/html,&lt;script&gt;alert(1)&lt;/script&gt;">x</a>',
    '<img src="data:image/svg+xml;base64,PHN2Zz4=">',
    '<form action="javascript:alert(1)"></form>',
    '<button formaction="javascript:alert(1)">x</button>',
    '<svg><a xlink:href="javascript:alert(1)"><text>x</text></a></svg>',
    '<svg><set attributeName="href" to="javascript:alert(1)"/></svg>',
    '<div style="background:url(javascript:alert(1))">x</div>',
    '<div style="width:expression(alert(1))">x</div>',
    "<style>body{background:url('javascript:alert(1)')}</style>",
    '<iframe src="https://example.org/"></iframe>',
    '<object data="x.swf"></object>',
    '<meta http-equiv="refresh" content="0;url=javascript:alert(1)">',
    '<base href="https://evil.example/">',
    '<img srcset="x.png 1x, javascript:alert(1) 2x">',
    '<script type="application/ld+json">{"name": "</script><script>alert(1)</script>"}</script>',
    '<script src="/static/js/site.js">alert(1)</script>',
    '<script type="application/json">{"a": 1}</script><script type="module">alert(1)</script>',
    '<script type="application/ld+json">not json</script>',
]

SAFE = [
    "<p>&lt;script&gt;alert(1)&lt;/script&gt;</p>",
    '<p title="&quot; onmouseover=&quot;alert(1)">x</p>',
    '<a href="https://example.org/?q=javascript:alert(1)">x</a>',
    '<a href="/2026/05/a-post/">x</a>',
    '<a href="mailto:someone@example.org">x</a>',
    '<img src="data:image/png;base64,iVBORw0KGgo=" alt="">',
    '<script src="/static/js/site.js" defer></script>',
    '<script type="application/ld+json">{"name": "\\u003c/script\\u003e"}</script>',
    '<script id="data" type="application/json">{"a": "\\u003cb\\u003e"}</script>',
    "<p>javascript:alert(1) written as plain text</p>",
    # Spaces inside a scheme make it a relative URL, as the WHATWG URL parser reads it.
    '<a href="java    script:alert(1)">x</a>',
    '<input name="q" value="&lt;script&gt;">',
    '<textarea name="body">&lt;img src=x onerror=alert(1)&gt;</textarea>',
]


@pytest.mark.parametrize("html", UNSAFE)
def test_the_checker_catches_markup_that_would_run_code(html):
    assert html_safety_problems(html)
    with pytest.raises(AssertionError):
        assert_html_is_safe(html)


@pytest.mark.parametrize("html", SAFE)
def test_the_checker_accepts_escaped_text_and_our_own_static_scripts(html):
    assert_html_is_safe(html)
