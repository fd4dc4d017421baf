"""REFI-QDA projects (.qdpx) and codebooks (.qdc), written and read (no Flask, no database).

A .qdpx file is a zip holding ``project.qde`` (XML in the ``urn:QDA-XML:project:1.0`` namespace)
and the text of each source under ``sources/``, which the XML names ``internal://<file>``. The
parts cop writes and reads, as the REFI-QDA Project Exchange standard (1.0) lays them out:

    Project (name, origin, creationDateTime)
      Users/User (guid, name)
      CodeBook/Codes/Code (guid, name, isCodable, color?) > Description?, Code*
      Cases/Case (guid, name) > Description?, SourceRef (targetGUID)*
      Sources/TextSource (guid, name, plainTextPath | PlainTextContent, creatingUser?)
        > Description?, PlainTextContent?, PlainTextSelection*
          PlainTextSelection (guid, name?, startPosition, endPosition, creatingUser?)
            > Description?, Coding (guid, creatingUser?) > CodeRef (targetGUID)

Positions count characters (Unicode code points) from 0; the end is not part of the
selection. :func:`structure_problems` checks a project against that layout, written from the
standard's description; it is not the standard's own schema."""

from __future__ import annotations

import io
import re
import uuid
import zipfile
from collections.abc import Iterator
from dataclasses import dataclass, field
from datetime import UTC, datetime
from xml.etree import ElementTree as ET

from defusedxml import DefusedXmlException
from defusedxml import ElementTree as defused

PROJECT_NAMESPACE = "urn:QDA-XML:project:1.0"
CODEBOOK_NAMESPACE = "urn:QDA-XML:codebook:1.0"
PROJECT_FILE = "project.qde"
SOURCES_FOLDER = "sources"
INTERNAL = "internal://"
GUID = re.compile(
    r"^(\{)?[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}(?(1)\})$"
)
COLOUR = re.compile(r"^#[0-9a-fA-F]{6}$")
# Larger files are refused before they are unpacked (a zip can hold far more than it weighs).
MOST_UNPACKED_BYTES = 200 * 1024 * 1024

# The elements each element may hold, in the order the standard gives them.
CHILDREN = {
    "Project": [
        "Users",
        "CodeBook",
        "Variables",
        "Cases",
        "Sources",
        "Notes",
        "Links",
        "Sets",
        "Graphs",
        "Description",
    ],
    "Users": ["User"],
    "CodeBook": ["Codes"],
    "Codes": ["Code"],
    "Code": ["Description", "Code", "NoteRef"],
    "Cases": ["Case"],
    "Case": ["Description", "CodeRef", "VariableValue", "SourceRef", "SelectionRef"],
    "Sources": [
        "TextSource",
        "PictureSource",
        "PDFSource",
        "AudioSource",
        "VideoSource",
        "DataSource",
    ],
    "TextSource": [
        "Description",
        "PlainTextContent",
        "PlainTextSelection",
        "VariableValue",
        "NoteRef",
    ],
    "PlainTextSelection": ["Description", "Coding", "NoteRef"],
    "Coding": ["CodeRef", "NoteRef"],
}
# Attributes each element must carry.
REQUIRED = {
    "User": ["guid"],
    "Code": ["guid", "name", "isCodable"],
    "Case": ["guid"],
    "TextSource": ["guid"],
    "PlainTextSelection": ["guid", "startPosition", "endPosition"],
    "Coding": ["guid"],
    "CodeRef": ["targetGUID"],
    "SourceRef": ["targetGUID"],
}
GUID_ATTRIBUTES = {"guid", "targetGUID", "creatingUser", "modifyingUser"}


class QdaFileError(ValueError):
    """A file that is not a REFI-QDA project or codebook cop can read; ``reason`` says why."""

    def __init__(self, reason: str, detail: str = "") -> None:
        super().__init__(f"{reason}: {detail}" if detail else reason)
        self.reason = reason
        self.detail = detail


@dataclass
class QdaCode:
    guid: str
    name: str
    description: str = ""
    colour: str = ""
    codable: bool = True
    children: list[QdaCode] = field(default_factory=list)

    def walk(self, parents: tuple[str, ...] = ()) -> Iterator[tuple[tuple[str, ...], QdaCode]]:
        """This code and every code under it, each with its path of names."""
        path = (*parents, self.name)
        yield path, self
        for child in self.children:
            yield from child.walk(path)


@dataclass(frozen=True)
class QdaUser:
    guid: str
    name: str


@dataclass
class QdaSelection:
    guid: str
    start: int
    end: int
    code_guids: list[str]
    creator_guid: str = ""
    created: datetime | None = None
    coding_guids: list[str] = field(default_factory=list)


@dataclass
class QdaSource:
    guid: str
    name: str
    text: str
    description: str = ""
    creator_guid: str = ""
    created: datetime | None = None
    selections: list[QdaSelection] = field(default_factory=list)


@dataclass(frozen=True)
class QdaCase:
    guid: str
    name: str
    source_guids: tuple[str, ...]


@dataclass
class QdaProject:
    name: str
    users: list[QdaUser] = field(default_factory=list)
    codes: list[QdaCode] = field(default_factory=list)
    sources: list[QdaSource] = field(default_factory=list)
    cases: list[QdaCase] = field(default_factory=list)
    origin: str = "cop"
    created: datetime | None = None

    def all_codes(self) -> Iterator[tuple[tuple[str, ...], QdaCode]]:
        for code in self.codes:
            yield from code.walk()


def new_guid() -> str:
    return str(uuid.uuid4())


def _moment(value: datetime | None) -> str:
    return (value or datetime.now(UTC)).astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%SZ")


def _read_moment(text: str | None) -> datetime | None:
    if not text:
        return None
    try:
        moment = datetime.fromisoformat(text.replace("Z", "+00:00"))
    except ValueError:
        return None
    return moment if moment.tzinfo else moment.replace(tzinfo=UTC)


# --- Writing -------------------------------------------------------------------------------


def _code_element(parent: ET.Element, code: QdaCode, namespace: str) -> None:
    attributes = {
        "guid": code.guid,
        "name": code.name,
        "isCodable": "true" if code.codable else "false",
    }
    if code.colour:
        attributes["color"] = code.colour
    element = ET.SubElement(parent, f"{{{namespace}}}Code", attributes)
    if code.description:
        ET.SubElement(element, f"{{{namespace}}}Description").text = code.description
    for child in code.children:
        _code_element(element, child, namespace)


def project_xml(project: QdaProject) -> bytes:
    """project.qde of the project, its sources named as files under ``sources/``."""
    n = f"{{{PROJECT_NAMESPACE}}}"
    ET.register_namespace("", PROJECT_NAMESPACE)
    root = ET.Element(
        f"{n}Project",
        {
            "name": project.name,
            "origin": project.origin,
            "creationDateTime": _moment(project.created),
        },
    )
    if project.users:
        users = ET.SubElement(root, f"{n}Users")
        for user in project.users:
            ET.SubElement(users, f"{n}User", {"guid": user.guid, "name": user.name})
    codes = ET.SubElement(ET.SubElement(root, f"{n}CodeBook"), f"{n}Codes")
    for code in project.codes:
        _code_element(codes, code, PROJECT_NAMESPACE)
    if project.cases:
        cases = ET.SubElement(root, f"{n}Cases")
        for case in project.cases:
            element = ET.SubElement(cases, f"{n}Case", {"guid": case.guid, "name": case.name})
            for source_guid in case.source_guids:
                ET.SubElement(element, f"{n}SourceRef", {"targetGUID": source_guid})
    if project.sources:
        sources = ET.SubElement(root, f"{n}Sources")
        for source in project.sources:
            attributes = {
                "guid": source.guid,
                "name": source.name,
                "plainTextPath": f"{INTERNAL}{source.guid}.txt",
                "creationDateTime": _moment(source.created),
            }
            if source.creator_guid:
                attributes["creatingUser"] = source.creator_guid
            element = ET.SubElement(sources, f"{n}TextSource", attributes)
            if source.description:
                ET.SubElement(element, f"{n}Description").text = source.description
            for selection in source.selections:
                _selection_element(element, selection, source.text, n)
    ET.indent(root)
    return ET.tostring(root, encoding="utf-8", xml_declaration=True)


def _selection_element(parent: ET.Element, selection: QdaSelection, text: str, n: str) -> None:
    attributes = {
        "guid": selection.guid,
        "name": text[selection.start : selection.end][:100],
        "startPosition": str(selection.start),
        "endPosition": str(selection.end),
        "creationDateTime": _moment(selection.created),
    }
    if selection.creator_guid:
        attributes["creatingUser"] = selection.creator_guid
    element = ET.SubElement(parent, f"{n}PlainTextSelection", attributes)
    coding_guids = selection.coding_guids or [new_guid() for _ in selection.code_guids]
    for code_guid, coding_guid in zip(selection.code_guids, coding_guids, strict=True):
        coding_attributes = {"guid": coding_guid, "creationDateTime": _moment(selection.created)}
        if selection.creator_guid:
            coding_attributes["creatingUser"] = selection.creator_guid
        coding = ET.SubElement(element, f"{n}Coding", coding_attributes)
        ET.SubElement(coding, f"{n}CodeRef", {"targetGUID": code_guid})


def write_qdpx(project: QdaProject) -> bytes:
    """The whole project as a .qdpx file: project.qde and each source's text as UTF-8."""
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr(PROJECT_FILE, project_xml(project))
        for source in project.sources:
            archive.writestr(f"{SOURCES_FOLDER}/{source.guid}.txt", source.text.encode("utf-8"))
    return buffer.getvalue()


# --- Checking ------------------------------------------------------------------------------


def _local(tag: str) -> str:
    return tag.rsplit("}", 1)[-1]


def _attribute_problems(element: ET.Element, name: str, where: str) -> Iterator[str]:
    for attribute in REQUIRED.get(name, []):
        if not element.get(attribute):
            yield f"{where}: {name} has no {attribute}"
    for attribute, value in element.attrib.items():
        if attribute in GUID_ATTRIBUTES and not GUID.match(value):
            yield f"{where}: {name} {attribute} {value!r} is not a GUID"
    if name == "Code":
        colour = element.get("color")
        if colour and not COLOUR.match(colour):
            yield f"{where}: colour {colour!r} is not #RRGGBB"
        if element.get("isCodable") not in (None, "true", "false"):
            yield f"{where}: isCodable is neither true nor false"
    if name == "PlainTextSelection":
        start, end = element.get("startPosition", ""), element.get("endPosition", "")
        if not (start.isdigit() and end.isdigit()) or int(start) > int(end):
            yield f"{where}: positions {start!r}-{end!r} are not a span"


def _children_problems(element: ET.Element, name: str, where: str) -> Iterator[str]:
    allowed = CHILDREN.get(name)
    if allowed is None:
        return
    last = -1
    for child in element:
        child_name = _local(child.tag)
        if child_name not in allowed:
            yield f"{where}: {name} may not hold {child_name}"
            continue
        order = allowed.index(child_name)
        if order < last:
            yield f"{where}: {child_name} comes after what should follow it"
        last = order


def _walk(element: ET.Element, where: str) -> Iterator[tuple[ET.Element, str]]:
    yield element, where
    for position, child in enumerate(element):
        yield from _walk(child, f"{where}/{_local(child.tag)}[{position + 1}]")


def structure_problems(root: ET.Element, namespace: str = PROJECT_NAMESPACE) -> list[str]:
    """What in a project's XML departs from the standard's layout: the root, the namespace,
    elements where the standard puts none or out of its order, missing attributes, GUIDs,
    colours and positions of the wrong form, GUIDs given twice, references to no code."""
    if root.tag != f"{{{namespace}}}Project":
        return [f"the root element is {root.tag}, not Project in {namespace}"]
    problems: list[str] = []
    seen: set[str] = set()
    code_guids: set[str] = set()
    references: list[str] = []
    for element, where in _walk(root, "Project"):
        name = _local(element.tag)
        if not element.tag.startswith(f"{{{namespace}}}"):
            problems.append(f"{where}: {element.tag} is outside the project's namespace")
        problems += _attribute_problems(element, name, where)
        problems += _children_problems(element, name, where)
        guid = element.get("guid")
        if guid in seen:
            problems.append(f"{where}: the GUID {guid} is given twice")
        if guid:
            seen.add(guid)
            if name == "Code":
                code_guids.add(guid)
        if name == "CodeRef" and element.get("targetGUID"):
            references.append(element.get("targetGUID", ""))
    problems += [
        f"a coding refers to the code {target}, which the codebook lacks"
        for target in references
        if target not in code_guids
    ]
    return problems


# --- Reading -------------------------------------------------------------------------------


def _parse(data: bytes) -> ET.Element:
    # defusedxml refuses entities and external references: nothing in the standard needs
    # them, and they are how a small XML file becomes a huge one or reads local files.
    try:
        return defused.fromstring(data)
    except (ET.ParseError, DefusedXmlException) as error:
        raise QdaFileError("not-xml", str(error)) from error


def _codes_of(parent: ET.Element | None, n: str) -> list[QdaCode]:
    if parent is None:
        return []
    codes = []
    for element in parent.findall(f"{n}Code"):
        description = element.find(f"{n}Description")
        codes.append(
            QdaCode(
                guid=element.get("guid") or new_guid(),
                name=(element.get("name") or "").strip() or "?",
                description=(description.text or "").strip() if description is not None else "",
                colour=element.get("color", "") if COLOUR.match(element.get("color", "")) else "",
                codable=element.get("isCodable", "true") != "false",
                children=_codes_of(element, n),
            )
        )
    return codes


def read_qdc(data: bytes) -> list[QdaCode]:
    """The codes of a REFI-QDA codebook (.qdc), nested as written."""
    root = _parse(data)
    for namespace in (CODEBOOK_NAMESPACE, PROJECT_NAMESPACE):
        n = f"{{{namespace}}}"
        if root.tag == f"{n}CodeBook":
            return _codes_of(root.find(f"{n}Codes"), n)
    raise QdaFileError("not-codebook", root.tag)


def _unzip(data: bytes) -> zipfile.ZipFile:
    try:
        archive = zipfile.ZipFile(io.BytesIO(data))
    except zipfile.BadZipFile as error:
        raise QdaFileError("not-zip", str(error)) from error
    if sum(member.file_size for member in archive.infolist()) > MOST_UNPACKED_BYTES:
        raise QdaFileError("too-large")
    return archive


def _text_of(archive: zipfile.ZipFile, element: ET.Element, n: str) -> str:
    inline = element.find(f"{n}PlainTextContent")
    if inline is not None:
        return inline.text or ""
    path = element.get("plainTextPath", "")
    if not path.startswith(INTERNAL):
        raise QdaFileError("external-source", element.get("name") or path)
    name = path[len(INTERNAL) :]
    for candidate in (f"{SOURCES_FOLDER}/{name}", f"Sources/{name}", name):
        try:
            raw = archive.read(candidate)
        except KeyError:
            continue
        return raw.decode("utf-8-sig", errors="replace")
    raise QdaFileError("missing-source", element.get("name") or name)


def read_qdpx(data: bytes) -> QdaProject:
    """A REFI-QDA project: its users, codebook, cases and text sources with their coded
    selections. Sources of other kinds (pictures, audio, PDF) are not read."""
    archive = _unzip(data)
    try:
        xml = archive.read(PROJECT_FILE)
    except KeyError as error:
        raise QdaFileError("no-project", PROJECT_FILE) from error
    root = _parse(xml)
    n = f"{{{PROJECT_NAMESPACE}}}"
    if root.tag != f"{n}Project":
        raise QdaFileError("not-project", root.tag)
    project = QdaProject(
        name=root.get("name", ""),
        origin=root.get("origin", ""),
        created=_read_moment(root.get("creationDateTime")),
        users=[
            QdaUser(user.get("guid", ""), user.get("name", ""))
            for user in root.findall(f"{n}Users/{n}User")
        ],
        codes=_codes_of(root.find(f"{n}CodeBook/{n}Codes"), n),
        cases=[
            QdaCase(
                case.get("guid", ""),
                case.get("name", ""),
                tuple(ref.get("targetGUID", "") for ref in case.findall(f"{n}SourceRef")),
            )
            for case in root.findall(f"{n}Cases/{n}Case")
        ],
    )
    for element in root.findall(f"{n}Sources/{n}TextSource"):
        description = element.find(f"{n}Description")
        source = QdaSource(
            guid=element.get("guid") or new_guid(),
            name=element.get("name", ""),
            text=_text_of(archive, element, n),
            description=(description.text or "").strip() if description is not None else "",
            creator_guid=element.get("creatingUser", ""),
            created=_read_moment(element.get("creationDateTime")),
        )
        for selection in element.findall(f"{n}PlainTextSelection"):
            codings = selection.findall(f"{n}Coding")
            try:
                start, end = (
                    int(selection.get("startPosition", "")),
                    int(selection.get("endPosition", "")),
                )
            except ValueError:
                start, end = -1, -1
            source.selections.append(
                QdaSelection(
                    guid=selection.get("guid") or new_guid(),
                    start=start,
                    end=end,
                    code_guids=[
                        ref.get("targetGUID", "")
                        for coding in codings
                        for ref in coding.findall(f"{n}CodeRef")
                    ],
                    creator_guid=selection.get("creatingUser", "")
                    or next((c.get("creatingUser", "") for c in codings), ""),
                    created=_read_moment(selection.get("creationDateTime")),
                )
            )
        project.sources.append(source)
    return project
