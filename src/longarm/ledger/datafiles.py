"""Read the dataset's text files into statements, and refuse bad input.

A data file is a YAML list of blocks. A block names an entity (``id``) and
gives property values; its ``cite`` list backs every value that has no cite of
its own. Blocks with the same id accumulate statements, so evidence from a
second source can live in a second file (``stations-evidence.yaml``) without
rewriting the first. Every problem is reported as ``file:line: message``.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, replace
from importlib import resources
from pathlib import Path

import yaml
from yaml.nodes import MappingNode, Node, ScalarNode, SequenceNode

from longarm.ledger.errors import DataError
from longarm.ledger.integrity import problems_in
from longarm.model import CURATED, ID_PATTERN, InvalidValue, Kind, Statement, kinds, normalise_value

MAX_QUOTE_WORDS = 45
MAX_QUOTE_CJK = 100
# Characters, whatever the script: a quote with no spaces must not pass for one word (45 long words fit).
MAX_QUOTE_CHARS = 400
CJK = re.compile(r"[\u3400-\u9fff\uf900-\ufaff]")


@dataclass(frozen=True)
class Cite:
    source_id: str
    quote: str
    lang: str | None
    note: str | None
    line: int
    gloss: str | None = None
    as_converted: str | None = None


def bundled_data_dir() -> Path:
    return Path(str(resources.files("longarm").joinpath("data")))


def kind_for_file(path: Path) -> Kind:
    """``stations.yaml`` and ``stations-evidence.yaml`` both hold stations."""
    stem = path.name.split("-")[0].removesuffix(".yaml")
    for kind in kinds().values():
        if kind.file == f"{stem}.yaml":
            return kind
    known = ", ".join(sorted(k.file for k in kinds().values()))
    raise DataError(path, 1, f"no entity kind for this file name (expected one of {known})")


def data_files(data_dir: Path, allow_empty: bool = False) -> list[Path]:
    if not data_dir.is_dir():
        raise DataError(data_dir, 0, "data folder not found")
    files = sorted(data_dir.glob("*.yaml"))
    if not files and not allow_empty:
        raise DataError(data_dir, 0, "no .yaml data files in this folder (--allow-empty builds an empty database)")
    return files


def load(data_dir: Path | None = None, allow_empty: bool = False) -> list[Statement]:
    """All statements of a data folder, validated as a whole; none at all only if ``allow_empty``."""
    folder = data_dir or bundled_data_dir()
    statements: list[Statement] = []
    for path in data_files(folder, allow_empty):
        statements.extend(read_file(path))
    if not statements and not allow_empty:
        raise DataError(folder, 0, "the data files hold no statements (--allow-empty builds an empty database)")
    return validate(statements)


def _line(node: Node) -> int:
    return int(node.start_mark.line) + 1


def _mapping(path: Path, node: MappingNode, where: str) -> dict[str, tuple[Node, Node]]:
    """key -> (key node, value node); a key given twice is refused (YAML would keep the last silently)."""
    fields: dict[str, tuple[Node, Node]] = {}
    for key_node, value_node in node.value:
        key = _scalar(path, key_node, "a key")
        if key in fields:
            first = _line(fields[key][0])
            raise DataError(path, _line(key_node), f"'{key}' is given twice in this {where} (first at line {first})")
        fields[key] = (key_node, value_node)
    return fields


def _scalar(path: Path, node: Node, what: str) -> str:
    if not isinstance(node, ScalarNode):
        raise DataError(path, _line(node), f"{what} must be a single value")
    return str(node.value)


def _read_text(path: Path) -> str:
    try:
        data = path.read_bytes()
    except OSError as exc:
        why = "a symbolic link to nothing" if path.is_symlink() and not path.exists() else exc.strerror
        raise DataError(path, 0, f"cannot read this file ({why})") from None
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError as exc:
        line = data[: exc.start].count(b"\n") + 1
        raise DataError(path, line, f"not UTF-8 text ({exc.reason})") from None


def _compose(path: Path, text: str) -> Node | None:
    """The YAML node tree of a file; every way YAML can fail is a DataError with its line."""
    try:
        return yaml.compose(text, Loader=yaml.SafeLoader)
    except yaml.MarkedYAMLError as exc:
        line = exc.problem_mark.line + 1 if exc.problem_mark else 1
        raise DataError(path, line, f"malformed YAML: {exc.problem}") from None
    except yaml.reader.ReaderError as exc:  # a character YAML does not allow, such as NUL
        line = text[: exc.position].count("\n") + 1
        raise DataError(path, line, f"a character YAML does not allow (#x{exc.character:04x})") from None
    except yaml.YAMLError as exc:
        raise DataError(path, 1, f"malformed YAML: {str(exc).splitlines()[0]}") from None
    except RecursionError:
        depth = max(text.count("["), text.count("{"))
        raise DataError(path, 1, f"malformed YAML: nested too deeply (up to {depth} levels)") from None


def read_file(path: Path) -> Iterator[Statement]:
    kind = kind_for_file(path)
    root = _compose(path, _read_text(path))
    if root is None:
        return
    if not isinstance(root, SequenceNode):
        raise DataError(path, _line(root), "a data file must be a list of blocks")
    for block in root.value:
        yield from _read_block(path, kind, block)


def _read_block(path: Path, kind: Kind, block: Node) -> Iterator[Statement]:
    if not isinstance(block, MappingNode):
        raise DataError(path, _line(block), "each block must be a mapping with an 'id'")
    fields = _mapping(path, block, "block")
    if "id" not in fields:
        raise DataError(path, _line(block), "block has no 'id'")
    entity_id = _scalar(path, fields["id"][1], "id")
    if not ID_PATTERN.match(entity_id):
        raise DataError(path, _line(fields["id"][1]), f"'{entity_id}' is not an id (a-z, 0-9, -)")
    if "cite" not in fields:
        raise DataError(path, _line(block), f"{kind.name} '{entity_id}' has no 'cite': every statement needs a source")
    block_cites = _read_cites(path, fields["cite"][1])
    for key, (key_node, value_node) in fields.items():
        if key in ("id", "cite"):
            continue
        prop = kind.properties.get(key)
        if prop is None:
            raise DataError(path, _line(key_node), f"{kind.name} has no property '{key}'")
        cites = block_cites
        if isinstance(value_node, MappingNode):
            inner = {k: v for k, (_, v) in _mapping(path, value_node, f"value of '{key}'").items()}
            if "value" not in inner:
                raise DataError(path, _line(value_node), f"'{key}' needs a 'value'")
            value_node = inner["value"]
            if "cite" in inner:
                cites = _read_cites(path, inner["cite"])
        raw_values = value_node.value if isinstance(value_node, SequenceNode) else [value_node]
        if len(raw_values) > 1 and not prop.multi:
            raise DataError(path, _line(value_node), f"'{key}' takes one value, not a list")
        for raw_node in raw_values:
            raw = _scalar(path, raw_node, f"each value of '{key}'")
            try:
                value, precision = normalise_value(prop, raw)
            except InvalidValue as exc:
                raise DataError(path, _line(raw_node), f"{key}: {exc}") from None
            for cite in cites:
                yield Statement(
                    kind=kind.name,
                    entity_id=entity_id,
                    prop=key,
                    value=value,
                    source_id=cite.source_id,
                    quote=cite.quote,
                    lang=cite.lang or "",
                    origin=CURATED,
                    precision=precision,
                    note=cite.note,
                    data_file=str(path),
                    data_line=_line(raw_node),
                    gloss=cite.gloss,
                    as_converted=cite.as_converted,
                )


def _read_cites(path: Path, node: Node) -> list[Cite]:
    if not isinstance(node, SequenceNode) or not node.value:
        raise DataError(path, _line(node), "'cite' must be a non-empty list")
    cites = []
    for item in node.value:
        if not isinstance(item, MappingNode):
            raise DataError(path, _line(item), "each cite needs 'source' and 'quote'")
        fields = {k: v for k, (_, v) in _mapping(path, item, "cite").items()}
        unknown = set(fields) - {"source", "quote", "lang", "note", "gloss", "as_converted"}
        if unknown:
            raise DataError(path, _line(item), f"cite has unknown field '{sorted(unknown)[0]}'")
        for needed in ("source", "quote"):
            if needed not in fields:
                raise DataError(path, _line(item), f"cite has no '{needed}'")
        quote = " ".join(_scalar(path, fields["quote"], "quote").split())
        if not quote:
            raise DataError(path, _line(fields["quote"]), "empty quote")
        words = len(quote.split())
        cjk = len(CJK.findall(quote))
        if words > MAX_QUOTE_WORDS or cjk > MAX_QUOTE_CJK or len(quote) > MAX_QUOTE_CHARS:
            raise DataError(
                path,
                _line(fields["quote"]),
                f"quote too long ({words} words, {cjk} CJK characters, {len(quote)} characters in all; at most "
                f"{MAX_QUOTE_WORDS} words, {MAX_QUOTE_CJK} CJK characters or {MAX_QUOTE_CHARS} characters): "
                "ship brief quotes only",
            )
        cites.append(
            Cite(
                source_id=_scalar(path, fields["source"], "source"),
                quote=quote,
                lang=_scalar(path, fields["lang"], "lang") if "lang" in fields else None,
                note=_scalar(path, fields["note"], "note") if "note" in fields else None,
                line=_line(item),
                gloss=_optional_text(path, fields, "gloss"),
                as_converted=_optional_text(path, fields, "as_converted"),
            )
        )
    return cites


def _optional_text(path: Path, fields: dict[str, Node], key: str) -> str | None:
    if key not in fields:
        return None
    text = " ".join(_scalar(path, fields[key], key).split())
    if not text:
        raise DataError(path, _line(fields[key]), f"empty {key}")
    return text


def validate(statements: Iterable[Statement]) -> list[Statement]:
    """Whole-dataset checks; the first problem is raised as a DataError.

    Returns the statements with each cite's language filled from its source
    where the cite did not give one.
    """
    statements = list(statements)
    problems = problems_in(statements, require_definitions=True)
    if problems:
        first = problems[0]
        raise DataError(first.data_file or "?", first.data_line or 0, first.message)
    source_lang = {st.entity_id: st.value for st in statements if st.kind == "source" and st.prop == "lang"}
    return [st if st.lang else replace(st, lang=source_lang.get(st.source_id, "und")) for st in statements]
