"""In-memory state and the API's rules (value types, upserts, versions), behind one lock."""

from __future__ import annotations

import json
import os
import random
import re
import threading
import uuid
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from datetime import UTC, datetime
from typing import Any

from ._body import is_finite_number, small_int
from ._errors import ApiError, EmulatorBug, field_error, not_found
from ._filters import FilterError, Normalized, matches, normalize_filters
from ._records import Records
from ._spec import Spec
from ._values import ValueRules, choice_text

__all__ = ["ApiError", "EvaluatorFamily", "Store", "field_error"]

GENERATION_METHODS = ("auto", "llm", "code")  # the GenerationMethod values run_evaluator knows
# Score properties the rules below decide; every other Score property a request sends is
# stored and returned as given (so a field the spec adds to both works without a change here).
SCORE_DECIDED = ("id", "created_at", "evaluator_id", "evaluator_slug", "log_id", "scorer")
# Per the Score schema's description: only the id-scoped retrieve / replace / update answers
# carry these.
SCORE_DETAIL_ONLY = ("inputs", "evaluator")
# The operation whose body lists what an evaluator version stores (its configuration).
EVALUATOR_CREATE = "create_evaluator"
# Family-level fields: shared by all versions, so not part of a version's configuration.
FAMILY_FIELDS = ("id", "evaluator_slug")


def iso(dt: datetime) -> str:
    return dt.astimezone(UTC).isoformat().replace("+00:00", "Z")


def _uuid4_hex(bits: int) -> str:
    """`uuid.UUID(int=bits, version=4).hex` without building the UUID."""
    bits = (bits & ~(0xC000 << 48)) | (0x8000 << 48)  # the RFC 4122 variant
    bits = (bits & ~(0xF000 << 64)) | (4 << 76)  # version 4
    return f"{bits:032x}"


def split_ref(ref: str) -> tuple[str, int | None]:
    """`evl_abc123:2` -> ("evl_abc123", 2); a plain id -> (id, None)."""
    base, sep, suffix = ref.partition(":")
    if not sep:
        return ref, None
    number = small_int(suffix)
    if number is None:
        raise not_found(f"No evaluator matches {ref[:80]!r}.")
    return base, number


@dataclass
class EvaluatorFamily:
    """All versions of one evaluator; the last one is always the open draft."""

    id: str
    slug: str
    seq: int
    versions: list[dict[str, Any]] = field(default_factory=list)

    @property
    def draft(self) -> dict[str, Any]:
        return self.versions[-1]


class Store:
    """Thread-safe state of one emulator. Public methods return JSON-ready dicts."""

    def __init__(
        self,
        spec: Spec,
        users: Mapping[str, str] | None = None,
        *,
        id_seed: int | None = None,
        now: Callable[[], datetime] | None = None,
    ) -> None:
        self.lock = threading.RLock()
        self.values = ValueRules(spec)
        self.records = Records(spec)
        self.value_fields = self.values.fields
        self.config_defaults = _config_defaults(spec, self.records)
        # A score's `type` is its evaluator's type where ScoreType has that value.
        self.score_types = frozenset(spec.schema("ScoreType").get("enum") or [])
        # Worked out once: every score write needs them.
        decided = set(SCORE_DECIDED) | set(self.value_fields)
        self._given_set = frozenset(n for n in self.records.fields("Score") if n not in decided)
        self._cleared_fields = tuple(
            name
            for name, nullable, _ in self.records.shape("Score")
            if nullable and name not in SCORE_DETAIL_ONLY
        )
        self._users = dict(users or {})
        self._id_seed = id_seed
        self._now = now or (lambda: datetime.now(UTC))
        self._os_seeded = random.Random(os.urandom(32))
        self.reset()

    # ---- housekeeping -------------------------------------------------------------------
    def reset(self) -> None:
        with self.lock:
            self.scores: dict[str, dict[str, Any]] = {}
            self.evaluators: dict[str, EvaluatorFamily] = {}
            self._by_key: dict[tuple[Any, Any, Any], str] = {}
            self._seq = 0
            self._rng = random.Random(self._id_seed) if self._id_seed is not None else None

    def set_users(self, users: Mapping[str, str]) -> None:
        with self.lock:
            self._users = dict(users)

    def _next_seq(self) -> int:
        self._seq += 1
        return self._seq

    def new_id(self, prefix: str, *, uuid_form: bool = False) -> str:
        with self.lock:
            # Ids need to be unique, not secret: unseeded, one generator seeded from the OS
            # stands in for uuid4's urandom call per id.
            bits = (self._rng or self._os_seeded).getrandbits(128)
        if uuid_form:
            return f"{prefix}{uuid.UUID(int=bits, version=4)}"
        return f"{prefix}{_uuid4_hex(bits)[:24]}"

    def timestamp(self) -> str:
        return iso(self._now())

    def user(self, email: str) -> dict[str, Any]:
        emails = list(dict.fromkeys(self._users.values()))
        index = emails.index(email) + 1 if email in emails else len(emails) + 1
        local = email.split("@", 1)[0]
        parts = [p for p in re.split(r"[._\-+]", local) if p]
        first = parts[0].capitalize() if parts else local
        last = " ".join(p.capitalize() for p in parts[1:])
        return {"id": index, "first_name": first, "last_name": last, "email": email}

    # ---- evaluator lookups ----------------------------------------------------------------
    def _family(self, evaluator_id: str) -> EvaluatorFamily:
        family = self.evaluators.get(evaluator_id)
        if family is None:
            raise not_found()
        return family

    def _resolve(self, ref: str) -> tuple[EvaluatorFamily, dict[str, Any]]:
        """Family and version for an id that may carry a `:version` suffix (404 if unknown)."""
        base, pinned = split_ref(ref)
        family = self._family(base)
        if pinned is None:
            return family, family.draft
        if pinned >= len(family.versions):
            raise not_found(f"Evaluator {base} has no version {pinned}.")
        return family, family.versions[pinned]

    def _by_slug(self, slug: str) -> EvaluatorFamily | None:
        for family in self.evaluators.values():
            if family.slug == slug:
                return family
        return None

    # ---- evaluator views ------------------------------------------------------------------
    def _version_source(
        self, family: EvaluatorFamily, version: Mapping[str, Any]
    ) -> dict[str, Any]:
        # The emulator serves no Respan-managed public evaluators.
        return {**version, "id": family.id, "evaluator_slug": family.slug, "is_public": False}

    def version_view(self, family: EvaluatorFamily, version: Mapping[str, Any]) -> dict[str, Any]:
        return self.records.build("EvaluatorVersion", self._version_source(family, version))

    def version_item_view(
        self, family: EvaluatorFamily, version: Mapping[str, Any]
    ) -> dict[str, Any]:
        return self.records.build("EvaluatorVersionListItem", self._version_source(family, version))

    def evaluator_view(
        self, family: EvaluatorFamily, version: Mapping[str, Any] | None = None
    ) -> dict[str, Any]:
        v = family.draft if version is None else version
        source = self._version_source(family, v)
        # Tags are attached in Respan's UI, which the emulator does not have.
        source.update(editor=v["updated_by"], tags=[])
        return self.records.build("Evaluator", source)

    # ---- evaluator rules ------------------------------------------------------------------
    def _slugify(self, name: str, *, exclude: str | None = None) -> str:
        base = re.sub(r"[^a-z0-9]+", "_", name.lower()).strip("_") or "evaluator"
        slug, n = base, 2
        while (other := self._by_slug(slug)) is not None and other.id != exclude:
            slug, n = f"{base}_{n}", n + 1
        return slug

    def _check_slug(self, slug: Any, *, exclude: str | None = None) -> str:
        if not isinstance(slug, str) or not slug.strip():
            raise field_error("evaluator_slug", "This field may not be blank.")
        other = self._by_slug(slug)
        if other is not None and other.id != exclude:
            raise field_error("evaluator_slug", f"An evaluator with slug {slug!r} already exists.")
        return slug

    def _fill_defaults(self, config: dict[str, Any]) -> None:
        """A null sent for a field that cannot be null (e.g. starred) means its default."""
        for key, default in self.config_defaults.items():
            if config.get(key) is None and default is not None:
                config[key] = default

    def _check_config(self, config: dict[str, Any]) -> None:
        """Rules on a complete evaluator configuration (after a write is merged in)."""
        for required in ("name", "type", "score_value_type"):
            if config.get(required) in (None, ""):
                raise field_error(required, "This field is required.")
        svt = config["score_value_type"]
        if svt not in self.values.types:
            raise field_error("score_value_type", f"{svt!r} is not a valid choice.")
        score_config = config.get("score_config")
        if score_config is not None:
            if not isinstance(score_config, Mapping):
                raise field_error("score_config", "Expected an object.")
            low, high = score_config.get("min_score"), score_config.get("max_score")
            for name, bound in (("min_score", low), ("max_score", high)):
                if bound is not None and not is_finite_number(bound):
                    raise field_error(f"score_config.{name}", "A finite number is required.")
            if low is not None and high is not None and low > high:
                raise field_error("score_config", "min_score must not be greater than max_score.")
            choices = score_config.get("choices")
            if choices is not None:
                self._check_choices("score_config.choices", choices)
        if config.get("categorical_choices") is not None:
            self._check_choices("categorical_choices", config["categorical_choices"])
        self.values.check_config(svt, config)
        if config.get("passing_conditions") is not None:
            try:
                normalize_filters(config["passing_conditions"], where="passing_conditions")
            except FilterError as exc:
                raise field_error(exc.field, exc.message) from None

    @staticmethod
    def _check_choices(where: str, choices: Any) -> None:
        if not isinstance(choices, list):
            raise field_error(where, "Expected a list of {name, value} objects.")
        seen: set[str] = set()
        for i, choice in enumerate(choices):
            if not isinstance(choice, Mapping) or "name" not in choice or "value" not in choice:
                raise field_error(f"{where}[{i}]", "Each choice needs a name and a value.")
            text = choice_text(choice["value"])
            if text in seen:
                raise field_error(f"{where}[{i}]", f"Duplicate choice value {text!r}.")
            seen.add(text)

    def _new_version(
        self, number: int, config: Mapping[str, Any], user: dict[str, Any]
    ) -> dict[str, Any]:
        now = self.timestamp()
        version: dict[str, Any] = {
            "version_id": self.new_id("evlv_"),
            "version": number,
            "is_read_only": False,
            "version_description": None,
            "created_at": now,
            "updated_at": now,
            "created_by": user,
            "updated_by": user,
        }
        for key, default in self.config_defaults.items():
            version[key] = json.loads(json.dumps(config.get(key, default)))
        return version

    def create_evaluator(self, body: Mapping[str, Any], email: str) -> dict[str, Any]:
        with self.lock:
            config = {k: body.get(k, d) for k, d in self.config_defaults.items()}
            self._fill_defaults(config)
            self._check_config(config)
            if body.get("evaluator_slug") is not None:
                slug = self._check_slug(body["evaluator_slug"])
            else:
                slug = self._slugify(str(config["name"]))
            user = self.user(email)
            family = EvaluatorFamily(self.new_id("evl_"), slug, self._next_seq())
            family.versions.append(self._new_version(0, config, user))
            self.evaluators[family.id] = family
            return self.evaluator_view(family)

    def get_evaluator(self, ref: str) -> dict[str, Any]:
        with self.lock:
            family, version = self._resolve(ref)
            return self.evaluator_view(family, version)

    def _editable(self, ref: str) -> tuple[EvaluatorFamily, dict[str, Any]]:
        family, version = self._resolve(ref)
        if version["is_read_only"]:
            raise ApiError(
                400,
                {
                    "detail": f"Version {version['version']} of {family.id} is committed and "
                    "read-only; edit the current draft instead.",
                    "errors": {"evaluator_id": ["Committed versions are read-only."]},
                },
            )
        return family, version

    def _write_config(
        self,
        family: EvaluatorFamily,
        version: dict[str, Any],
        body: Mapping[str, Any],
        email: str,
        *,
        partial: bool,
    ) -> None:
        if partial:
            config = {k: body.get(k, version[k]) for k in self.config_defaults}
        else:
            config = {k: body.get(k, d) for k, d in self.config_defaults.items()}
        self._fill_defaults(config)
        self._check_config(config)
        if body.get("evaluator_slug") is not None:
            family.slug = self._check_slug(body["evaluator_slug"], exclude=family.id)
        for key in self.config_defaults:
            version[key] = json.loads(json.dumps(config[key]))
        version["updated_at"] = self.timestamp()
        version["updated_by"] = self.user(email)

    def update_evaluator(
        self, ref: str, body: Mapping[str, Any], email: str, *, partial: bool
    ) -> dict[str, Any]:
        with self.lock:
            family, version = self._editable(ref)
            self._write_config(family, version, body, email, partial=partial)
            return self.evaluator_view(family, version)

    def delete_evaluator(self, ref: str) -> None:
        with self.lock:
            family, _ = self._resolve(ref)
            del self.evaluators[family.id]

    def evaluator_rows(self) -> list[tuple[int, dict[str, Any]]]:
        with self.lock:
            return [(f.seq, self.evaluator_view(f)) for f in self.evaluators.values()]

    def count_evaluators(self, filters: Normalized | None = None) -> int:
        with self.lock:
            if not filters:
                return len(self.evaluators)
            return sum(
                1 for f in self.evaluators.values() if matches(self.evaluator_view(f), filters)
            )

    # ---- versions ---------------------------------------------------------------------
    def version_rows(self, ref: str) -> list[tuple[int, dict[str, Any]]]:
        with self.lock:
            family, _ = self._resolve(ref)
            return [
                (v["version"], self.version_item_view(family, v)) for v in reversed(family.versions)
            ]

    def get_version(self, ref: str, number: int) -> dict[str, Any]:
        with self.lock:
            family, _ = self._resolve(ref)
            if not 0 <= number < len(family.versions):
                raise not_found(f"Evaluator {family.id} has no version {number}.")
            return self.version_view(family, family.versions[number])

    def commit_version(self, ref: str, body: Mapping[str, Any], email: str) -> dict[str, Any]:
        """Commit the draft as it is and open the next draft, which gets any config fields in
        `body`; returns the new draft (SDK 0.1.46: "Commits the current draft and returns the
        next editable draft")."""
        with self.lock:
            family, _ = self._resolve(ref)
            draft = family.draft
            user = self.user(email)
            config = {k: body.get(k, draft[k]) for k in self.config_defaults}
            self._fill_defaults(config)
            self._check_config(config)
            if body.get("evaluator_slug") is not None:
                family.slug = self._check_slug(body["evaluator_slug"], exclude=family.id)
            draft["is_read_only"] = True
            draft["version_description"] = body.get("version_description")
            draft["updated_at"] = self.timestamp()
            draft["updated_by"] = user
            family.versions.append(self._new_version(draft["version"] + 1, config, user))
            return self.version_view(family, family.draft)

    def update_version(
        self, ref: str, number: int, body: Mapping[str, Any], email: str, *, partial: bool
    ) -> dict[str, Any]:
        with self.lock:
            family, _ = self._resolve(ref)
            if not 0 <= number < len(family.versions):
                raise not_found(f"Evaluator {family.id} has no version {number}.")
            version = family.versions[number]
            if version["is_read_only"]:
                raise ApiError(
                    403,
                    {
                        "detail": f"Version {number} of {family.id} is committed and read-only; "
                        f"only the current draft (version {family.draft['version']}) can be "
                        "edited."
                    },
                )
            self._write_config(family, version, body, email, partial=partial)
            return self.version_view(family, version)

    # ---- scores -----------------------------------------------------------------------
    def _score_evaluator(
        self, body: Mapping[str, Any], *, missing_status: int
    ) -> tuple[EvaluatorFamily, dict[str, Any]]:
        ref, slug = body.get("evaluator_id"), body.get("evaluator_slug")
        if ref is None and slug is None:
            raise field_error(
                "evaluator_id", "Provide either evaluator_id or evaluator_slug.", detail=None
            )
        found: tuple[EvaluatorFamily, dict[str, Any]] | None = None
        if ref is not None:
            try:
                found = self._resolve(str(ref))
            except ApiError:
                found = None
            if found is None:
                self._missing_evaluator("evaluator_id", str(ref), missing_status)
        if slug is not None:
            family = self._by_slug(str(slug))
            if family is None:
                self._missing_evaluator("evaluator_slug", str(slug), missing_status)
            assert family is not None
            if found is not None and found[0].id != family.id:
                raise field_error(
                    "evaluator_slug", "evaluator_id and evaluator_slug name different evaluators."
                )
            if found is None:
                found = (family, family.draft)
        assert found is not None
        return found

    @staticmethod
    def _missing_evaluator(field_name: str, value: str, status: int) -> None:
        message = f"No evaluator matches {value!r}."
        if status == 404:
            raise ApiError(404, {"detail": message})
        raise field_error(field_name, message)

    def passes(self, version: Mapping[str, Any], values: Mapping[str, Any]) -> bool | None:
        """is_passed: passing_conditions applied to the primary score, else the kind's verdict."""
        primary = self.values.primary(version, values)
        conditions = version.get("passing_conditions")
        if not conditions:
            return self.values.default_verdict(version, primary)
        if primary is None:
            return None
        normalized = normalize_filters(conditions, where="passing_conditions")
        record = dict(values)
        record["primary_score"] = primary
        return matches(record, normalized)

    def score_view(self, rec: Mapping[str, Any], *, detail: bool = False) -> dict[str, Any]:
        if not detail:
            return self.records.build("Score", rec, omit=SCORE_DETAIL_ONLY)
        source = {**rec, "inputs": rec["_inputs"], "evaluator": rec["_evaluator"]}
        return self.records.build("Score", source)

    def _given(self, body: Mapping[str, Any]) -> dict[str, Any]:
        """The Score properties a request sets that no rule here decides: stored as given."""
        # Walks the body's few keys, not every Score property (`body[name]` marks them read).
        given = self._given_set
        return {name: body[name] for name in body if name in given}

    def _build_score(
        self,
        body: Mapping[str, Any],
        family: EvaluatorFamily,
        version: dict[str, Any],
        values: Mapping[str, Any],
        *,
        log_id: str | None,
        scorer: str | None,
        existing: Mapping[str, Any] | None,
    ) -> dict[str, Any]:
        full_values = {name: values.get(name) for name in self.value_fields}
        rec: dict[str, Any] = {
            "id": existing["id"] if existing else self.new_id("score_"),
            "created_at": existing["created_at"] if existing else self.timestamp(),
            "type": version["type"] if version["type"] in self.score_types else "custom",
            **full_values,
            "is_passed": self.passes(version, full_values),
            "cost": 0.0,
            "evaluator_id": family.id,
            "evaluator_slug": family.slug,
            "evaluator_name": version["name"],
            "scorer": scorer,
            "log_id": log_id,
            "status": "completed",
            "error_message": None,
            **self._given(body),
            "_seq": existing["_seq"] if existing else self._next_seq(),
            "_version": version["version"],
            "_inputs": {"input": None, "output": None, "metrics": {}, "metadata": {}},
            "_evaluator": self.evaluator_view(family, version),
        }
        # Not nullable in practice: the API fills it in when a request leaves it out.
        rec["environment"] = rec.get("environment") or "production"
        for name in self._cleared_fields:
            rec.setdefault(name, None)  # a full replacement clears what it leaves out
        return rec

    def create_score(self, body: Mapping[str, Any], email: str) -> dict[str, Any]:
        with self.lock:
            family, version = self._score_evaluator(body, missing_status=400)
            log_id = body.get("log_id")
            if not log_id:
                raise field_error(
                    "log_id", "This field is required when not using the log-scoped route."
                )
            values = self.values.check(body, version, partial=False)
            scorer = body.get("scorer") or email
            rec = self._build_score(
                body, family, version, values, log_id=log_id, scorer=scorer, existing=None
            )
            self._put(rec)
            return self.score_view(rec)

    def upsert_log_score(
        self, log_id: str, body: Mapping[str, Any], email: str
    ) -> tuple[dict[str, Any], bool]:
        """One score per (log, evaluator, scorer); returns (score, created)."""
        with self.lock:
            family, version = self._score_evaluator(body, missing_status=404)
            values = self.values.check(body, version, partial=False)
            existing = self._find(log_id, family.id, email)
            rec = self._build_score(
                body, family, version, values, log_id=log_id, scorer=email, existing=existing
            )
            self._put(rec)
            return self.score_view(rec), existing is None

    def _find(self, log_id: str, evaluator_id: str, scorer: str) -> dict[str, Any] | None:
        """The score of this (log, evaluator, scorer), however it was created (indexed)."""
        key = (log_id, evaluator_id, scorer)
        rec = self.scores.get(self._by_key.get(key, ""))
        if rec is not None and (rec["log_id"], rec["evaluator_id"], rec["scorer"]) == key:
            return rec
        return None

    def _put(self, rec: dict[str, Any]) -> None:
        old = self.scores.get(rec["id"])
        if old is not None:
            self._unindex(old)
        self.scores[rec["id"]] = rec
        self._by_key[(rec["log_id"], rec["evaluator_id"], rec["scorer"])] = rec["id"]

    def _unindex(self, rec: Mapping[str, Any]) -> None:
        key = (rec["log_id"], rec["evaluator_id"], rec["scorer"])
        if self._by_key.get(key) == rec["id"]:
            del self._by_key[key]

    def _score(self, score_id: str, log_id: str | None = None) -> dict[str, Any]:
        rec = self.scores.get(score_id)
        if rec is None or (log_id is not None and rec["log_id"] != log_id):
            raise not_found()
        return rec

    def get_score(self, score_id: str, log_id: str | None = None) -> dict[str, Any]:
        with self.lock:
            return self.score_view(self._score(score_id, log_id), detail=log_id is None)

    def _version_of(self, rec: Mapping[str, Any]) -> tuple[EvaluatorFamily, dict[str, Any]]:
        family = self.evaluators.get(rec["evaluator_id"])
        if family is None:
            raise field_error(
                "evaluator_id",
                f"The score's evaluator {rec['evaluator_id']} no longer exists; name a current "
                "evaluator with evaluator_id or evaluator_slug.",
            )
        number = min(int(rec.get("_version", 0)), len(family.versions) - 1)
        return family, family.versions[number]

    def patch_score(
        self, score_id: str, body: Mapping[str, Any], *, log_id: str | None = None
    ) -> dict[str, Any]:
        with self.lock:
            rec = self._score(score_id, log_id)
            _, version = self._version_of(rec)
            values = self.values.check(body, version, partial=True)
            rec.update(values)
            rec.update(self._given(body))
            rec["is_passed"] = self.passes(version, {k: rec[k] for k in self.value_fields})
            return self.score_view(rec, detail=log_id is None)

    def replace_score(
        self, score_id: str, body: Mapping[str, Any], email: str, *, log_id: str | None = None
    ) -> dict[str, Any]:
        with self.lock:
            rec = self._score(score_id, log_id)
            if body.get("evaluator_id") is None and body.get("evaluator_slug") is None:
                family, version = self._version_of(rec)
            else:
                family, version = self._score_evaluator(body, missing_status=400)
            values = self.values.check(body, version, partial=False)
            if log_id is None:
                new_log = body.get("log_id") or rec["log_id"]
                scorer = body.get("scorer") or rec["scorer"]
            else:
                new_log, scorer = log_id, email
                other = self._find(log_id, family.id, email)
                clash = other is not None and other["id"] != score_id
                if clash:
                    raise field_error(
                        "evaluator_id",
                        "This log already has a score from you for that evaluator.",
                    )
            new = self._build_score(
                body, family, version, values, log_id=new_log, scorer=scorer, existing=rec
            )
            self._put(new)
            return self.score_view(new, detail=log_id is None)

    def delete_score(self, score_id: str, *, log_id: str | None = None) -> None:
        with self.lock:
            self._unindex(self._score(score_id, log_id))
            del self.scores[score_id]

    def score_rows(self, log_id: str | None = None) -> list[tuple[int, dict[str, Any]]]:
        """(seq, filterable view) pairs; the view also carries `inputs` for metadata__ keys."""
        with self.lock:
            return [
                (rec["_seq"], self.score_view(rec))
                for rec in self.scores.values()
                if log_id is None or rec["log_id"] == log_id
            ]

    def score_metadata(self, score_id: str) -> Mapping[str, Any]:
        rec = self.scores.get(score_id)
        return rec["_inputs"] if rec else {}

    # ---- run --------------------------------------------------------------------------
    def run_evaluator(self, ref: str, body: Mapping[str, Any], email: str) -> dict[str, Any]:
        with self.lock:
            override = body.get("evaluator_id") or body.get("evaluation_id")
            family, version = self._resolve(str(override) if override else ref)
            inputs = body.get("inputs")
            if not isinstance(inputs, Mapping):
                raise field_error("inputs", "This field is required and must be an object.")
            method = body.get("generation_method") or "auto"
            if method not in GENERATION_METHODS:
                raise EmulatorBug(f"generation_method {method!r} is not implemented here")
            if method == "llm" and not version.get("llm_config"):
                raise field_error(
                    "generation_method", "generation_method 'llm' needs an llm_config."
                )
            if method == "code" and not version.get("code_config"):
                raise field_error(
                    "generation_method", "generation_method 'code' needs a code_config."
                )
            values = self.values.run(version, dict(inputs))
            llm = version.get("llm_config") or {}
            scorer = llm.get("model") if isinstance(llm, Mapping) else None
            echoed = {
                "input": inputs.get("input", inputs.get("llm_input")),
                "output": inputs.get("output", inputs.get("llm_output")),
                "metrics": inputs.get("metrics") or {},
                "metadata": inputs.get("metadata") or {},
            }
            if "expected_output" in inputs:
                echoed["expected_output"] = inputs["expected_output"]
            source = {
                "id": self.new_id("res_", uuid_form=True),
                "created_at": self.timestamp(),
                "type": version["score_value_type"],
                "environment": "production",
                **values,
                "is_passed": self.passes(version, values),
                "cost": 0.0,
                "evaluator_id": family.id,
                "evaluator_slug": family.slug,
                "scorer": scorer or "respan-emulator",
                "status": "completed",
                "inputs": echoed,
                "evaluator": self.evaluator_view(family, version),
            }
            return self.records.build("EvaluatorRunResult", source)


def _config_defaults(spec: Spec, records: Records) -> dict[str, Any]:
    """What a version stores: the EvaluatorVersion properties an evaluator create may set.

    Each defaults to null, or False for a boolean the spec does not let be null (`starred`).
    """
    op = spec.by_id.get(EVALUATOR_CREATE)
    writable = op.body_fields if op is not None else frozenset()
    props = spec.properties(spec.schema("EvaluatorVersion"))
    out: dict[str, Any] = {}
    for name, nullable, _ in records.shape("EvaluatorVersion"):
        if name in writable and name not in FAMILY_FIELDS:
            boolean = spec.resolve(props[name]).get("type") == "boolean"
            out[name] = False if boolean and not nullable else None
    return out
