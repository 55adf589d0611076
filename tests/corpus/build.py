"""Attachments written elsewhere, made at test time: each a .docx as Word, LibreOffice,
a converter or a hand would write it, with the feature that broke a packet before.

`CORPUS` maps a name to a function returning (bytes, what the test should find): the
texts that must survive, the web links, whether an image, a list start and so on.
Everything is hand-written XML in a small zip, so each case is exactly what it says.
"""

from __future__ import annotations

import io
import struct
import zipfile
import zlib
from collections.abc import Callable
from dataclasses import dataclass, field

W = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"
R = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"
WP = "http://schemas.openxmlformats.org/drawingml/2006/wordprocessingDrawing"
A = "http://schemas.openxmlformats.org/drawingml/2006/main"
PIC = "http://schemas.openxmlformats.org/drawingml/2006/picture"
RT = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"
NS = (
    f'xmlns:w="{W}" xmlns:r="{R}" xmlns:wp="{WP}" xmlns:a="{A}" xmlns:pic="{PIC}"'
    ' xmlns:v="urn:schemas-microsoft-com:vml" xmlns:o="urn:schemas-microsoft-com:office:office"'
    ' xmlns:w14="http://schemas.microsoft.com/office/word/2010/wordml"'
    ' xmlns:dgm="http://schemas.openxmlformats.org/drawingml/2006/diagram"'
)
CT_MAIN = "application/vnd.openxmlformats-officedocument.wordprocessingml"


@dataclass
class Expect:
    """What a merged packet must keep of one attachment."""

    texts: list[str]
    links: list[str] = field(default_factory=list)
    images: int = 0
    list_start: str | None = None  # the text of the first list item, numbered from 1
    landscape: bool = False


def png() -> bytes:
    """A 2×2 red PNG."""
    raw = b"".join(b"\x00" + b"\xff\x00\x00" * 2 for _ in range(2))

    def chunk(kind: bytes, data: bytes) -> bytes:
        body = kind + data
        return struct.pack(">I", len(data)) + body + struct.pack(">I", zlib.crc32(body))

    header = struct.pack(">IIBBBBB", 2, 2, 8, 2, 0, 0, 0)
    return (
        b"\x89PNG\r\n\x1a\n"
        + chunk(b"IHDR", header)
        + chunk(b"IDAT", zlib.compress(raw))
        + chunk(b"IEND", b"")
    )


def p(text: str, style: str | None = None, extra: str = "") -> str:
    ppr = (
        f'<w:pPr><w:pStyle w:val="{style}"/>{extra}</w:pPr>'
        if style
        else (f"<w:pPr>{extra}</w:pPr>" if extra else "")
    )
    return f'<w:p>{ppr}<w:r><w:t xml:space="preserve">{text}</w:t></w:r></w:p>'


def style(kind: str, style_id: str, name: str, inner: str = "", default: bool = False) -> str:
    flag = ' w:default="1"' if default else ""
    return (
        f'<w:style w:type="{kind}"{flag} w:styleId="{style_id}"><w:name w:val="{name}"/>'
        f"{inner}</w:style>"
    )


NORMAL = style("paragraph", "Normal", "Normal", '<w:rPr><w:sz w:val="22"/></w:rPr>', True)


def styles(*more: str) -> str:
    return f"<w:styles {NS}>{NORMAL}{''.join(more)}</w:styles>"


def heading_styles(ids: tuple[str, str], numbered: bool = False) -> list[str]:
    out = []
    for level, style_id in enumerate(ids, 1):
        num = (
            f'<w:numPr><w:ilvl w:val="{level - 1}"/><w:numId w:val="1"/></w:numPr>'
            if numbered
            else ""
        )
        out.append(
            style(
                "paragraph",
                style_id,
                f"heading {level}",
                f'<w:basedOn w:val="Normal"/><w:next w:val="Normal"/><w:qFormat/>'
                f'<w:pPr><w:keepNext/>{num}<w:outlineLvl w:val="{level - 1}"/></w:pPr>'
                f'<w:rPr><w:b/><w:sz w:val="{36 - 4 * level}"/></w:rPr>',
            )
        )
    return out


def decimal_numbering(extra_abstract: str = "", link: str = "") -> str:
    levels = "".join(
        f'<w:lvl w:ilvl="{i}"><w:start w:val="1"/><w:numFmt w:val="decimal"/>'
        f'<w:lvlText w:val="%{i + 1}."/><w:lvlJc w:val="left"/>'
        f'<w:pPr><w:ind w:left="{720 * (i + 1)}" w:hanging="360"/></w:pPr></w:lvl>'
        for i in range(3)
    )
    return (
        f"<w:numbering {NS}>"
        f'<w:abstractNum w:abstractNumId="0"><w:nsid w:val="12345678"/>'
        f'<w:multiLevelType w:val="hybridMultilevel"/>{link}{levels}</w:abstractNum>'
        f"{extra_abstract}"
        '<w:num w:numId="1"><w:abstractNumId w:val="0"/></w:num>'
        "</w:numbering>"
    )


@dataclass
class Docx:
    """A small .docx written by hand."""

    body: str
    styles: str | None = None
    numbering: str | None = None
    rels: list[tuple[str, str, str, bool]] = field(default_factory=list)  # id, type, target, ext
    parts: dict[str, tuple[bytes, str | None]] = field(default_factory=dict)  # name: data, type
    root_rels: list[tuple[str, str]] = field(default_factory=list)  # type, target
    main: str = "word/document.xml"
    sect: str = '<w:sectPr><w:pgSz w:w="11906" w:h="16838"/><w:pgMar w:top="1134" w:right="1134" w:bottom="1134" w:left="1134" w:header="567" w:footer="567" w:gutter="0"/></w:sectPr>'
    root: str = "w:document"

    def to_bytes(self) -> bytes:
        parts: dict[str, tuple[bytes, str | None]] = dict(self.parts)
        body = f"<w:body>{self.body}{self.sect}</w:body>"
        parts[self.main] = (
            f'<?xml version="1.0" encoding="UTF-8" standalone="yes"?><{self.root} {NS}>{body}</{self.root}>'.encode(),
            f"{CT_MAIN}.document.main+xml",
        )
        rels = list(self.rels)
        if self.styles:
            parts["word/styles.xml"] = (self.styles.encode(), f"{CT_MAIN}.styles+xml")
            rels.append(("rIdS", f"{RT}/styles", "styles.xml", False))
        if self.numbering:
            parts["word/numbering.xml"] = (self.numbering.encode(), f"{CT_MAIN}.numbering+xml")
            rels.append(("rIdN", f"{RT}/numbering", "numbering.xml", False))
        parts[_rels_of(self.main)] = (_rels(rels), None)
        root_rels = [("rId1", f"{RT}/officeDocument", self.main, False)] + [
            (f"rIdR{i}", kind, target, False) for i, (kind, target) in enumerate(self.root_rels)
        ]
        parts["_rels/.rels"] = (_rels(root_rels), None)
        types = "".join(
            f'<Override PartName="/{name}" ContentType="{kind}"/>'
            for name, (_, kind) in parts.items()
            if kind
        )
        content_types = (
            '<?xml version="1.0" encoding="UTF-8"?><Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">'
            '<Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/>'
            '<Default Extension="xml" ContentType="application/xml"/>'
            '<Default Extension="png" ContentType="image/png"/>'
            f"{types}</Types>"
        )
        out = io.BytesIO()
        with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as archive:
            archive.writestr("[Content_Types].xml", content_types)
            for name, (data, _) in parts.items():
                archive.writestr(name, data)
        return out.getvalue()


def _rels_of(part: str) -> str:
    folder, name = part.rsplit("/", 1)
    return f"{folder}/_rels/{name}.rels"


def _rels(rels: list[tuple[str, str, str, bool]]) -> bytes:
    items = "".join(
        f'<Relationship Id="{i}" Type="{t}" Target="{target}"'
        + (' TargetMode="External"' if ext else "")
        + "/>"
        for i, t, target, ext in rels
    )
    return (
        '<?xml version="1.0" encoding="UTF-8"?><Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">'
        f"{items}</Relationships>"
    ).encode()


def inline_image(rel: str, number: int, *, attr: str = "r:embed") -> str:
    return (
        f'<w:p><w:r><w:drawing><wp:inline><wp:extent cx="190500" cy="190500"/>'
        f'<wp:docPr id="{number}" name="Bild {number}"/>'
        f'<a:graphic><a:graphicData uri="http://schemas.openxmlformats.org/drawingml/2006/picture">'
        f'<pic:pic><pic:nvPicPr><pic:cNvPr id="{number}" name="bild.png"/><pic:cNvPicPr/></pic:nvPicPr>'
        f'<pic:blipFill><a:blip {attr}="{rel}"/><a:stretch><a:fillRect/></a:stretch></pic:blipFill>'
        f'<pic:spPr><a:xfrm><a:off x="0" y="0"/><a:ext cx="190500" cy="190500"/></a:xfrm>'
        f'<a:prstGeom prst="rect"><a:avLst/></a:prstGeom></pic:spPr></pic:pic></a:graphicData></a:graphic>'
        f"</wp:inline></w:drawing></w:r></w:p>"
    )


def link(rel: str, text: str) -> str:
    return f'<w:p><w:hyperlink r:id="{rel}"><w:r><w:t>{text}</w:t></w:r></w:hyperlink></w:p>'


def numbered(text: str, num: str | None = "1", style_id: str | None = None) -> str:
    num_pr = f'<w:numPr><w:ilvl w:val="0"/><w:numId w:val="{num}"/></w:numPr>' if num else ""
    return p(text, style_id, num_pr) if style_id else p(text, None, num_pr)


# -- the cases ---------------------------------------------------------------------------


def word_like() -> tuple[bytes, Expect]:
    """Word's usual: styles by id, a direct list, a table, an image, a web link."""
    body = (
        p("Rapport från länsstyrelsen", "Heading1")
        + p("Inledande text i rapporten.")
        + numbered("Första punkten i listan")
        + numbered("Andra punkten i listan")
        + '<w:tbl><w:tblPr><w:tblW w:w="0" w:type="auto"/></w:tblPr><w:tblGrid><w:gridCol w:w="4000"/></w:tblGrid>'
        + f'<w:tr><w:tc><w:tcPr><w:tcW w:w="4000" w:type="dxa"/></w:tcPr>{p("Cell i tabellen")}</w:tc></w:tr></w:tbl>'
        + inline_image("rId7", 1)
        + link("rId8", "Länk till myndigheten")
    )
    doc = Docx(
        body,
        styles(*heading_styles(("Heading1", "Heading2"))),
        decimal_numbering(),
        rels=[
            ("rId7", f"{RT}/image", "media/image1.png", False),
            ("rId8", f"{RT}/hyperlink", "https://www.lansstyrelsen.se/rapport", True),
        ],
        parts={"word/media/image1.png": (png(), None)},
    )
    return doc.to_bytes(), Expect(
        ["Rapport från länsstyrelsen", "Cell i tabellen", "Andra punkten i listan"],
        links=["https://www.lansstyrelsen.se/rapport"],
        images=1,
        list_start="Första punkten i listan",
    )


def german_styles() -> tuple[bytes, Expect]:
    """German Word: localised style ids, names in English as Word stores them."""
    body = p("Überschrift des Berichts", "berschrift1") + p("Fetter Absatz", "Zitat")
    doc = Docx(
        body,
        styles(
            *heading_styles(("berschrift1", "berschrift2")),
            style(
                "paragraph", "Zitat", "Quote", '<w:basedOn w:val="Normal"/><w:rPr><w:i/></w:rPr>'
            ),
            style("character", "Fett", "Strong", "<w:rPr><w:b/></w:rPr>"),
        ),
    )
    return doc.to_bytes(), Expect(["Überschrift des Berichts", "Fetter Absatz"])


def swedish_styles() -> tuple[bytes, Expect]:
    body = p("Rubrik i bilagan", "Rubrik1") + p("Brödtext i bilagan")
    doc = Docx(body, styles(*heading_styles(("Rubrik1", "Rubrik2"))))
    return doc.to_bytes(), Expect(["Rubrik i bilagan", "Brödtext i bilagan"])


def lo_numbered_headings() -> tuple[bytes, Expect]:
    """A LibreOffice conversion: styles "1"/"2" named Heading 1/2, numbered by outline."""
    body = p("Kapitel ett", "1") + p("Avsnitt ett", "2") + p("Text under avsnittet")
    doc = Docx(body, styles(*heading_styles(("1", "2"), numbered=True)), decimal_numbering())
    return doc.to_bytes(), Expect(["Kapitel ett", "Avsnitt ett", "Text under avsnittet"])


def style_list() -> tuple[bytes, Expect]:
    """A list bound through its style (List Number), as Word's list gallery makes it."""
    list_style = style(
        "paragraph",
        "Listanumrerad",
        "List Number",
        '<w:basedOn w:val="Normal"/><w:pPr><w:numPr><w:numId w:val="1"/></w:numPr></w:pPr>',
    )
    body = p("Ett", "Listanumrerad") + p("Två", "Listanumrerad") + p("Tre", "Listanumrerad")
    doc = Docx(body, styles(list_style), decimal_numbering())
    return doc.to_bytes(), Expect(["Ett", "Två", "Tre"], list_start="Ett")


def num_style_link() -> tuple[bytes, Expect]:
    """A list whose definition is a link to a numbering style (numStyleLink)."""
    numbering_style = style(
        "numbering",
        "MinLista",
        "Min lista",
        '<w:pPr><w:numPr><w:numId w:val="2"/></w:numPr></w:pPr>',
    )
    linked = (
        '<w:abstractNum w:abstractNumId="1"><w:nsid w:val="0000ABCD"/>'
        '<w:multiLevelType w:val="multilevel"/><w:numStyleLink w:val="MinLista"/></w:abstractNum>'
    )
    real = (
        decimal_numbering(linked, '<w:styleLink w:val="MinLista"/>')
        .replace(
            '<w:num w:numId="1"><w:abstractNumId w:val="0"/></w:num>',
            '<w:num w:numId="1"><w:abstractNumId w:val="1"/></w:num>'
            '<w:num w:numId="2"><w:abstractNumId w:val="0"/></w:num>',
        )
        .replace('w:numFmt w:val="decimal"', 'w:numFmt w:val="lowerLetter"')
    )
    body = numbered("Alfa punkt") + numbered("Beta punkt")
    doc = Docx(body, styles(numbering_style), real)
    return doc.to_bytes(), Expect(["Alfa punkt", "Beta punkt"], list_start="Alfa punkt")


def body_comment() -> tuple[bytes, Expect]:
    body = "<!-- written by a tool -->" + p("Text efter en kommentar") + "<?pi something?>"
    return Docx(body, styles()).to_bytes(), Expect(["Text efter en kommentar"])


def absolute_targets() -> tuple[bytes, Expect]:
    body = p("Bild med absolut sökväg") + inline_image("rId3", 1)
    doc = Docx(
        body,
        styles(),
        rels=[("rId3", f"{RT}/image", "/word/media/image1.png", False)],
        parts={"word/media/image1.png": (png(), None)},
    )
    return doc.to_bytes(), Expect(["Bild med absolut sökväg"], images=1)


def external_links() -> tuple[bytes, Expect]:
    """Web links with ids that the packet also uses (rId1…), and a linked image."""
    body = (
        link("rId1", "Första länken")
        + link("rId2", "Andra länken")
        + link("rId1", "Första länken igen")
        + inline_image("rId3", 1, attr="r:link")
    )
    doc = Docx(
        body,
        styles(),
        rels=[
            ("rId1", f"{RT}/hyperlink", "https://www.riksdagen.se/", True),
            ("rId2", f"{RT}/hyperlink", "https://www.regeringen.se/", True),
            ("rId3", f"{RT}/image", "https://www.example.org/bild.png", True),
        ],
    )
    return doc.to_bytes(), Expect(
        ["Första länken", "Andra länken"],
        links=["https://www.riksdagen.se/", "https://www.regeringen.se/"],
    )


def continuous_section() -> tuple[bytes, Expect]:
    doc = Docx(p("Text i en löpande sektion"), styles())
    doc.sect = doc.sect.replace("<w:pgSz", '<w:type w:val="continuous"/><w:pgSz')
    return doc.to_bytes(), Expect(["Text i en löpande sektion"])


def landscape_section() -> tuple[bytes, Expect]:
    turned = '<w:sectPr><w:pgSz w:w="16838" w:h="11906" w:orient="landscape"/></w:sectPr>'
    body = p("Stående sida") + p("Sista stycket före liggande", None, turned) + p("Liggande sida")
    doc = Docx(body, styles())
    doc.sect = turned
    return doc.to_bytes(), Expect(["Stående sida", "Liggande sida"], landscape=True)


def long_bookmarks() -> tuple[bytes, Expect]:
    long_a = "Avsnitt_om_ekonomisk_uppfoljning_del_ett_A"
    long_b = "Avsnitt_om_ekonomisk_uppfoljning_del_ett_B"
    body = (
        f'<w:p><w:bookmarkStart w:id="0" w:name="{long_a}"/><w:r><w:t>Mål ett</w:t></w:r><w:bookmarkEnd w:id="0"/></w:p>'
        f'<w:p><w:bookmarkStart w:id="1" w:name="{long_b}"/><w:r><w:t>Mål två</w:t></w:r><w:bookmarkEnd w:id="1"/></w:p>'
        f'<w:p><w:hyperlink w:anchor="{long_b}"><w:r><w:t>Till mål två</w:t></w:r></w:hyperlink></w:p>'
        f'<w:p><w:r><w:fldChar w:fldCharType="begin"/></w:r><w:r><w:instrText xml:space="preserve"> REF {long_a} \\h </w:instrText></w:r>'
        '<w:r><w:fldChar w:fldCharType="separate"/></w:r><w:r><w:t>Mål ett</w:t></w:r><w:r><w:fldChar w:fldCharType="end"/></w:r></w:p>'
    )
    return Docx(body, styles()).to_bytes(), Expect(["Mål ett", "Mål två", "Till mål två"])


def notes_and_comments() -> tuple[bytes, Expect]:
    notes = (
        f"<w:endnotes {NS}>"
        '<w:endnote w:type="separator" w:id="-1"><w:p><w:r><w:separator/></w:r></w:p></w:endnote>'
        '<w:endnote w:type="continuationSeparator" w:id="0"><w:p><w:r><w:continuationSeparator/></w:r></w:p></w:endnote>'
        f'<w:endnote w:id="1">{p("Slutnotens text")}</w:endnote></w:endnotes>'
    )
    comments = f'<w:comments {NS}><w:comment w:id="0" w:author="A">{p("En kommentar")}</w:comment></w:comments>'
    body = (
        '<w:p><w:commentRangeStart w:id="0"/><w:r><w:t>Text med slutnot</w:t></w:r>'
        '<w:r><w:endnoteReference w:id="1"/></w:r><w:commentRangeEnd w:id="0"/>'
        '<w:r><w:commentReference w:id="0"/></w:r></w:p>'
    )
    doc = Docx(
        body,
        styles(),
        rels=[
            ("rId5", f"{RT}/endnotes", "endnotes.xml", False),
            ("rId6", f"{RT}/comments", "comments.xml", False),
        ],
        parts={
            "word/endnotes.xml": (notes.encode(), f"{CT_MAIN}.endnotes+xml"),
            "word/comments.xml": (comments.encode(), f"{CT_MAIN}.comments+xml"),
        },
    )
    return doc.to_bytes(), Expect(["Text med slutnot", "Slutnotens text"])


def header_image() -> tuple[bytes, Expect]:
    header = f"<w:hdr {NS}>{p('Brevhuvud med logotyp')}{inline_image('rId1', 5)}</w:hdr>"
    doc = Docx(
        p("Brödtext under brevhuvudet"),
        styles(),
        rels=[("rId9", f"{RT}/header", "header1.xml", False)],
        parts={
            "word/header1.xml": (header.encode(), f"{CT_MAIN}.header+xml"),
            "word/_rels/header1.xml.rels": (
                _rels([("rId1", f"{RT}/image", "media/logo.png", False)]),
                None,
            ),
            "word/media/logo.png": (png(), None),
        },
    )
    doc.sect = doc.sect.replace(
        "<w:pgSz", '<w:headerReference w:type="default" r:id="rId9"/><w:pgSz'
    )
    return doc.to_bytes(), Expect(["Brevhuvud med logotyp", "Brödtext under brevhuvudet"], images=1)


def vml_shapes() -> tuple[bytes, Expect]:
    shape = (
        '<w:p><w:r><w:pict><v:shape id="_x0000_i1025" o:spid="_x0000_s1025" style="width:20pt;height:20pt">'
        '<v:imagedata r:id="rId4" o:title=""/></v:shape></w:pict></w:r></w:p>'
    )
    doc = Docx(
        p("Text med en VML-bild") + shape,
        styles(),
        rels=[("rId4", f"{RT}/image", "media/image1.png", False)],
        parts={"word/media/image1.png": (png(), None)},
    )
    return doc.to_bytes(), Expect(["Text med en VML-bild"])


def custom_properties() -> tuple[bytes, Expect]:
    custom = (
        '<?xml version="1.0" encoding="UTF-8"?><Properties xmlns="http://schemas.openxmlformats.org/officeDocument/2006/custom-properties" '
        'xmlns:vt="http://schemas.openxmlformats.org/officeDocument/2006/docPropsVTypes">'
        '<property fmtid="{D5CDD505-2E9C-101B-9397-08002B2CF9AE}" pid="2" name="Diarienummer">'
        "<vt:lpwstr>LST 2024-123</vt:lpwstr></property></Properties>"
    )
    body = (
        '<w:p><w:fldSimple w:instr=" DOCPROPERTY Diarienummer \\* MERGEFORMAT "><w:r><w:t>LST 2024-123</w:t></w:r></w:fldSimple></w:p>'
        + p("Dokument med egna egenskaper")
    )
    doc = Docx(
        body,
        styles(),
        parts={
            "docProps/custom.xml": (
                custom.encode(),
                "application/vnd.openxmlformats-officedocument.custom-properties+xml",
            )
        },
        root_rels=[(f"{RT}/custom-properties", "docProps/custom.xml")],
    )
    return doc.to_bytes(), Expect(["Dokument med egna egenskaper", "LST 2024-123"])


def diagram() -> tuple[bytes, Expect]:
    """SmartArt: the graphic frame names data, layout, style and colours (r:dm/lo/qs/cs);
    the data part names its drawing by an id of the document's relationships (relId)."""
    frame = (
        '<w:p><w:r><w:drawing><wp:inline><wp:extent cx="3000000" cy="1000000"/><wp:docPr id="1" name="Diagram 1"/>'
        '<a:graphic><a:graphicData uri="http://schemas.openxmlformats.org/drawingml/2006/diagram">'
        '<dgm:relIds r:dm="rId20" r:lo="rId21" r:qs="rId22" r:cs="rId23"/></a:graphicData></a:graphic>'
        "</wp:inline></w:drawing></w:r></w:p>"
    )
    dgm = "http://schemas.openxmlformats.org/drawingml/2006/diagram"
    dsp = "http://schemas.microsoft.com/office/drawing/2008/diagram"
    data = (
        f'<dgm:dataModel xmlns:dgm="{dgm}" xmlns:a="{A}"><dgm:ptLst><dgm:pt modelId="{{1}}" type="doc"><dgm:t><a:bodyPr/><a:p><a:r><a:t>Steg</a:t></a:r></a:p></dgm:t></dgm:pt></dgm:ptLst>'
        f'<dgm:extLst><a:ext uri="http://schemas.microsoft.com/office/drawing/2008/diagram"><dsp:dataModelExt xmlns:dsp="{dsp}" relId="rId24" minVer="http://schemas.openxmlformats.org/drawingml/2006/diagram"/></a:ext></dgm:extLst></dgm:dataModel>'
    )
    kinds = {
        "data": ("diagramData", f"{RT}/diagramData"),
        "layout": ("diagramLayout", f"{RT}/diagramLayout"),
        "quickStyle": ("diagramStyle", f"{RT}/diagramQuickStyle"),
        "colors": ("diagramColors", f"{RT}/diagramColors"),
    }
    parts: dict[str, tuple[bytes, str | None]] = {}
    rels = []
    for number, (name, (ct, rel)) in enumerate(kinds.items(), 20):
        content = data if name == "data" else f'<dgm:{name}Def xmlns:dgm="{dgm}"/>'
        parts[f"word/diagrams/{name}1.xml"] = (
            content.encode(),
            f"application/vnd.openxmlformats-officedocument.drawingml.{ct}+xml",
        )
        rels.append((f"rId{number}", rel, f"diagrams/{name}1.xml", False))
    parts["word/diagrams/drawing1.xml"] = (
        f'<dsp:drawing xmlns:dsp="{dsp}"><dsp:spTree/></dsp:drawing>'.encode(),
        "application/vnd.ms-office.drawingml.diagramDrawing+xml",
    )
    rels.append(
        (
            "rId24",
            "http://schemas.microsoft.com/office/2007/relationships/diagramDrawing",
            "diagrams/drawing1.xml",
            False,
        )
    )
    doc = Docx(p("Text före diagrammet") + frame, styles(), rels=rels, parts=parts)
    return doc.to_bytes(), Expect(["Text före diagrammet"])


def chart() -> tuple[bytes, Expect]:
    """A chart part with its workbook: a part that brings relationships of its own."""
    c_ns = "http://schemas.openxmlformats.org/drawingml/2006/chart"
    frame = (
        '<w:p><w:r><w:drawing><wp:inline><wp:extent cx="3000000" cy="2000000"/>'
        '<wp:docPr id="1" name="Diagram 1"/><a:graphic>'
        f'<a:graphicData uri="{c_ns}"><c:chart xmlns:c="{c_ns}" r:id="rId30"/></a:graphicData>'
        "</a:graphic></wp:inline></w:drawing></w:r></w:p>"
    )
    space = (
        f'<c:chartSpace xmlns:c="{c_ns}" xmlns:a="{A}" xmlns:r="{R}"><c:chart><c:plotArea>'
        '<c:layout/></c:plotArea></c:chart><c:externalData r:id="rId1"/></c:chartSpace>'
    )
    workbook = zip_bytes({"[Content_Types].xml": b"<Types/>"})
    doc = Docx(
        p("Text före diagrammet med staplar") + frame,
        styles(),
        rels=[("rId30", f"{RT}/chart", "charts/chart1.xml", False)],
        parts={
            "word/charts/chart1.xml": (
                space.encode(),
                "application/vnd.openxmlformats-officedocument.drawingml.chart+xml",
            ),
            "word/charts/_rels/chart1.xml.rels": (
                _rels([("rId1", f"{RT}/package", "../embeddings/Arbetsbok1.xlsx", False)]),
                None,
            ),
            "word/embeddings/Arbetsbok1.xlsx": (
                workbook,
                "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
            ),
        },
    )
    return doc.to_bytes(), Expect(["Text före diagrammet med staplar"])


def zip_bytes(members: dict[str, bytes]) -> bytes:
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w") as archive:
        for name, data in members.items():
            archive.writestr(name, data)
    return out.getvalue()


STRICT_W = "http://purl.oclc.org/ooxml/wordprocessingml/main"


def strict() -> tuple[bytes, Expect]:
    """ISO 29500 Strict: other namespaces and relationship types for the same things."""
    data = word_like()[0]
    source = zipfile.ZipFile(io.BytesIO(data))
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as archive:
        for name in source.namelist():
            content = source.read(name)
            if name.endswith((".xml", ".rels")):
                content = (
                    content.replace(W.encode(), STRICT_W.encode())
                    .replace(
                        RT.encode(), b"http://purl.oclc.org/ooxml/officeDocument/relationships"
                    )
                    .replace(A.encode(), b"http://purl.oclc.org/ooxml/drawingml/main")
                    .replace(
                        WP.encode(), b"http://purl.oclc.org/ooxml/drawingml/wordprocessingDrawing"
                    )
                    .replace(PIC.encode(), b"http://purl.oclc.org/ooxml/drawingml/picture")
                )
            archive.writestr(name, content)
    return out.getvalue(), word_like()[1]


CORPUS: dict[str, Callable[[], tuple[bytes, Expect]]] = {
    "word-like": word_like,
    "german-styles": german_styles,
    "swedish-styles": swedish_styles,
    "lo-numbered-headings": lo_numbered_headings,
    "style-list": style_list,
    "num-style-link": num_style_link,
    "body-comment": body_comment,
    "absolute-targets": absolute_targets,
    "external-links": external_links,
    "continuous-section": continuous_section,
    "landscape-section": landscape_section,
    "long-bookmarks": long_bookmarks,
    "notes-and-comments": notes_and_comments,
    "header-image": header_image,
    "vml-shapes": vml_shapes,
    "custom-properties": custom_properties,
    "diagram": diagram,
    "chart": chart,
    "strict": strict,
}


def not_word() -> dict[str, bytes]:
    """Files named .docx that are no Word document."""
    html = Docx(p("x"), styles())
    html.root = "html"
    return {
        "html-root": html.to_bytes().replace(
            b"<html ", b'<html xmlns="http://www.w3.org/1999/xhtml" '
        ),
        "renamed-main": _rewrite(
            Docx(p("x"), styles(), main="word/other.xml").to_bytes(),
            "_rels/.rels",
            lambda data: data.replace(b"word/other.xml", b"word/document.xml"),
        ),
        "plain-text": b"Det h\xc3\xa4r \xc3\xa4r ingen zip-fil.",
    }


def _rewrite(data: bytes, member: str, change: Callable[[bytes], bytes]) -> bytes:
    """`data` (a zip) with one member's bytes changed."""
    source = zipfile.ZipFile(io.BytesIO(data))
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as archive:
        for name in source.namelist():
            content = source.read(name)
            archive.writestr(name, change(content) if name == member else content)
    return out.getvalue()
