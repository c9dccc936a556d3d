"""Find what a browser would run in a served page: the XSS tests' judge.

Pages are parsed with html5lib as a browser with scripting on parses them (so `<noscript>` mutation tricks
show up as the elements a browser would build). Feeds are XML whose text nodes feed readers render as
HTML, so those elements' text is judged as HTML too. JSON-LD blocks are data and must parse as JSON.
"""

import json
import re
from xml.etree import ElementTree

import html5lib

DATA_BLOCK_TYPES = {"application/ld+json", "application/json"}
URL_ATTRIBUTES = {"href", "src", "action", "formaction", "data", "background", "poster", "srcset", "xlink:href"}
# Feed elements whose text readers render as HTML (RSS description, Atom content and summary).
HTML_IN_XML = {"description", "encoded", "content", "summary"}
DANGEROUS_SCHEMES = ("javascript:", "vbscript:", "data:")
EMBEDDING_ELEMENTS = {"iframe", "frame", "frameset", "object", "embed", "applet", "base", "portal"}
# Browsers drop tabs, newlines and control characters inside a URL's scheme: "java\tscript:" runs.
IGNORED_IN_SCHEME = re.compile(r"[\x00-\x20]+")


def local_name(name):
    return name.rsplit("}", 1)[-1].lower()


def element_problems(element):
    tag = local_name(element.tag) if isinstance(element.tag, str) else ""
    attributes = {local_name(name): value for name, value in element.attrib.items()}
    if tag == "script":
        script_type = attributes.get("type", "").strip().lower()
        if script_type not in DATA_BLOCK_TYPES:
            yield f"<script> element (type={script_type!r})"
        else:
            try:
                json.loads(element.text or "")
            except ValueError:
                yield f"{script_type} block that is not JSON: {element.text!r:.120}"
    if tag in EMBEDDING_ELEMENTS:
        yield f"<{tag}> element"
    if tag == "meta" and attributes.get("http-equiv", "").lower() == "refresh":
        yield "<meta http-equiv=refresh>"
    loads = {"stylesheet", "import", "modulepreload"} & set(attributes.get("rel", "").lower().split())
    if tag == "link" and loads and re.match(r"(https?:)?//", attributes.get("href", "").strip()):
        yield f"<link rel={' '.join(loads)}> from another site ({attributes['href']!r:.80})"
    if tag == "style":
        yield "<style> element (the public policy allows no inline style)"
    for name, value in attributes.items():
        if name.startswith("on"):
            yield f"<{tag} {name}=...> event handler"
        if name in URL_ATTRIBUTES:
            url = IGNORED_IN_SCHEME.sub("", value).lower()
            if url.startswith(DANGEROUS_SCHEMES):
                yield f"<{tag} {name}={value!r:.80}> dangerous URL"
        if name == "srcdoc":
            yield f"<{tag} srcdoc=...>"
        if name == "style" and re.search(r"expression|javascript:|url\(", value, re.IGNORECASE):
            yield f"<{tag} style={value!r:.80}> active CSS"


def html_problems(html):
    document = html5lib.HTMLParser(namespaceHTMLElements=False).parse(html, scripting=True)
    return [problem for element in document.iter() for problem in element_problems(element)]


def xml_problems(xml):
    root = ElementTree.fromstring(xml)
    problems = []
    for element in root.iter():
        if local_name(element.tag) in HTML_IN_XML and element.text:
            problems += html_problems(element.text)
    return problems


def executable_constructs(response):
    """Everything in the response that a browser or feed reader would execute."""
    content = response.content.decode()
    if "xml" in response.get("Content-Type", ""):
        return xml_problems(content)
    return html_problems(content)
