"""Coded segments as CSV and the codebook as a REFI-QDA codebook (.qdc), for researchers' own
tools (no Flask here)."""

from __future__ import annotations

import uuid
import xml.etree.ElementTree as ET
from collections.abc import Iterable
from dataclasses import dataclass

from cop.reflections.logic import CodeLine
from cop.reflections.transcripts import format_timestamp
from cop.research.models import Code
from cop.spreadsheets import csv_text

QDC_NAMESPACE = "urn:QDA-XML:codebook:1.0"
# GUIDs must stay the same from one export to the next, so that a QDA tool that imports the
# codebook twice recognises its codes: derive them from the installation and the code's id.
GUID_NAMESPACE = uuid.UUID("5b0d7c1e-93a4-4c57-9a55-6f1d1c0e2a11")


@dataclass(frozen=True)
class SegmentRow:
    segment_id: int
    reflection_id: int
    visit: str
    phase: str
    participant: str
    organisation: str
    consent: str
    question: str
    speaker: str
    starts_ms: int | None
    ends_ms: int | None
    code_path: tuple[str, ...]
    coder: str
    quote: str
    char_start: int
    char_end: int


SEGMENT_COLUMNS = [
    "segment",
    "reflection",
    "visit",
    "phase",
    "participant",
    "organisation",
    "consent",
    "question",
    "speaker",
    "from",
    "to",
    "code",
    "code_path",
    "coder",
    "quote",
    "char_start",
    "char_end",
]


def segments_csv(rows: Iterable[SegmentRow]) -> str:
    return csv_text(
        SEGMENT_COLUMNS,
        (
            [
                row.segment_id,
                row.reflection_id,
                row.visit,
                row.phase,
                row.participant,
                row.organisation,
                row.consent,
                row.question,
                row.speaker,
                format_timestamp(row.starts_ms),
                format_timestamp(row.ends_ms),
                row.code_path[-1],
                " > ".join(row.code_path),
                row.coder,
                row.quote,
                row.char_start,
                row.char_end,
            ]
            for row in rows
        ),
    )


def stable_guid(scope: str, kind: str, row_id: int) -> str:
    """The same GUID for the same row of the same installation, export after export."""
    return str(uuid.uuid5(GUID_NAMESPACE, f"{scope}:{kind}:{row_id}"))


def code_guid(scope: str, code: Code) -> str:
    """An imported code's own GUID, else one derived from the installation and its id."""
    return code.qda_guid or stable_guid(scope, "code", code.id)


def codebook_qdc(lines: list[CodeLine], definitions: dict[int, str], scope: str) -> bytes:
    """The codebook as REFI-QDA's Codebook XML: nested Code elements with a Description each."""
    ET.register_namespace("", QDC_NAMESPACE)
    book = ET.Element(f"{{{QDC_NAMESPACE}}}CodeBook", {"origin": "cop"})
    codes = ET.SubElement(book, f"{{{QDC_NAMESPACE}}}Codes")
    elements: dict[int, ET.Element] = {}
    for line in lines:
        parent = elements.get(line.code.parent_id) if line.code.parent_id else codes
        if parent is None:
            continue
        attributes = {"guid": code_guid(scope, line.code), "name": line.name, "isCodable": "true"}
        if line.code.colour:
            attributes["color"] = line.code.colour
        element = ET.SubElement(parent, f"{{{QDC_NAMESPACE}}}Code", attributes)
        definition = definitions.get(line.code.id, "")
        if definition:
            ET.SubElement(element, f"{{{QDC_NAMESPACE}}}Description").text = definition
        elements[line.code.id] = element
    ET.indent(book)
    return ET.tostring(book, encoding="utf-8", xml_declaration=True)
