"""Fill a reference from its DOI (doi.org CSL-JSON) or PMID (NCBI E-utilities).

All network traffic goes through `fetch_json`, so tests replace that one function with
recorded responses and nothing in the suite touches the network.
"""

import json
import urllib.error
import urllib.request
from dataclasses import asdict, dataclass
from urllib.parse import quote, urlencode

from charcot.validation import parse_ascii_int

from . import conf
from .models import DOI_RE, normalize_doi, normalize_pmid, validate_pmid

USER_AGENT = "Charcot/1.0 (reference lookup for authors; mailto:editors@example.org)"
ESUMMARY_URL = "https://eutils.ncbi.nlm.nih.gov/entrez/eutils/esummary.fcgi"
MAX_AUTHORS = 6


class ReferenceLookupFailed(Exception):
    """A lookup that could not fill the reference; the message is shown to the author."""


class NotFound(ReferenceLookupFailed):
    pass


@dataclass
class ReferenceData:
    authors: str = ""
    title: str = ""
    journal: str = ""
    year: int | None = None
    volume: str = ""
    pages: str = ""
    doi: str = ""
    pmid: str = ""
    url: str = ""

    def as_dict(self) -> dict:
        return asdict(self)


def fetch_json(url: str, *, accept: str = "application/json", timeout: float) -> dict | None:
    """GET a URL and parse JSON. Returns None for 404; raises ReferenceLookupFailed otherwise."""
    request = urllib.request.Request(url, headers={"Accept": accept, "User-Agent": USER_AGENT})  # noqa: S310 (https only, fixed hosts)
    try:
        with urllib.request.urlopen(request, timeout=timeout) as response:  # noqa: S310
            body = response.read(2_000_000)
    except urllib.error.HTTPError as error:
        if error.code == 404:
            return None
        raise ReferenceLookupFailed(
            f"The lookup service answered with an error (HTTP {error.code}). Try again later "
            "or fill the reference by hand."
        ) from error
    except TimeoutError as error:
        raise ReferenceLookupFailed(
            f"The lookup service did not answer within {timeout:g} seconds. Try again later "
            "or fill the reference by hand."
        ) from error
    except (urllib.error.URLError, OSError) as error:
        if isinstance(getattr(error, "reason", None), TimeoutError):
            raise ReferenceLookupFailed(
                f"The lookup service did not answer within {timeout:g} seconds. Try again "
                "later or fill the reference by hand."
            ) from error
        raise ReferenceLookupFailed(
            "Could not reach the lookup service (are we offline?). Fill the reference by hand."
        ) from error
    try:
        return json.loads(body)
    except (ValueError, UnicodeDecodeError) as error:
        raise ReferenceLookupFailed(
            "The lookup service sent an answer we could not read. Fill the reference by hand."
        ) from error


def lookup_doi(doi: str, *, timeout: float | None = None) -> ReferenceData:
    doi = normalize_doi(doi)
    if not DOI_RE.match(doi):
        raise ReferenceLookupFailed(f"“{doi}” is not a DOI (it should look like 10.1234/abcd).")
    data = fetch_json(
        f"https://doi.org/{quote(doi, safe='/:;()')}",
        accept="application/vnd.citationstyles.csl+json",
        timeout=timeout or conf.REFERENCE_LOOKUP_TIMEOUT,
    )
    if data is None:
        raise NotFound(f"doi.org does not know the DOI {doi}. Check it for typos.")
    try:
        return _from_csl(data, doi)
    except (AttributeError, KeyError, TypeError, ValueError, IndexError) as error:
        raise ReferenceLookupFailed(
            "doi.org's answer did not look like a citation. Fill the reference by hand."
        ) from error


def _first(value) -> str:
    if isinstance(value, list):
        return str(value[0]) if value else ""
    return str(value or "")


def _from_csl(data: dict, doi: str) -> ReferenceData:
    if not isinstance(data, dict) or not _first(data.get("title")):
        raise ValueError("no title")
    names = []
    for person in data.get("author") or []:
        family = person.get("family") or person.get("literal") or ""
        initials = "".join(
            part[0] for part in (person.get("given") or "").replace("-", " ").split()
        )
        names.append(f"{family} {initials}".strip())
    authors = ", ".join(names[:MAX_AUTHORS]) + (", et al." if len(names) > MAX_AUTHORS else "")
    year = None
    for key in ("published-print", "published-online", "issued", "published"):
        parts = (data.get(key) or {}).get("date-parts") or [[None]]
        if parts and parts[0] and parts[0][0]:
            year = int(parts[0][0])
            break
    return ReferenceData(
        authors=authors,
        title=_first(data.get("title")).strip(),
        journal=_first(data.get("container-title")).strip(),
        year=year,
        volume=str(data.get("volume") or "")[:40],
        pages=str(data.get("page") or "")[:40],
        doi=(data.get("DOI") or doi).strip(),
        pmid=str(data.get("PMID") or ""),
    )


def lookup_pmid(pmid: str, *, timeout: float | None = None) -> ReferenceData:
    pmid = normalize_pmid(pmid)
    try:
        validate_pmid(pmid)
    except Exception as error:
        raise ReferenceLookupFailed(f"“{pmid}” is not a PubMed ID (digits only).") from error
    query = urlencode({"db": "pubmed", "id": pmid, "retmode": "json"})
    data = fetch_json(f"{ESUMMARY_URL}?{query}", timeout=timeout or conf.REFERENCE_LOOKUP_TIMEOUT)
    if data is None:
        raise NotFound(f"PubMed has no article with PMID {pmid}.")
    try:
        result = data["result"]
        record = result.get(pmid)
        if record is None or "error" in record or not result.get("uids"):
            raise NotFound(f"PubMed has no article with PMID {pmid}.")
        return _from_esummary(record, pmid)
    except NotFound:
        raise
    except (AttributeError, KeyError, TypeError, ValueError, IndexError) as error:
        raise ReferenceLookupFailed(
            "PubMed's answer did not look like a citation. Fill the reference by hand."
        ) from error


def _from_esummary(record: dict, pmid: str) -> ReferenceData:
    if not record.get("title"):
        raise ValueError("no title")
    names = [
        a["name"] for a in record.get("authors") or [] if a.get("authtype") != "CollectiveName"
    ]
    authors = ", ".join(names[:MAX_AUTHORS]) + (", et al." if len(names) > MAX_AUTHORS else "")
    doi = next((i["value"] for i in record.get("articleids") or [] if i.get("idtype") == "doi"), "")
    pubdate = str(record.get("pubdate") or record.get("epubdate") or "")
    year = parse_ascii_int(pubdate[:4])
    return ReferenceData(
        authors=authors,
        title=record["title"].strip().rstrip("."),
        journal=(record.get("source") or record.get("fulljournalname") or "").strip(),
        year=year,
        volume=str(record.get("volume") or "")[:40],
        pages=str(record.get("pages") or "")[:40],
        doi=doi,
        pmid=pmid,
    )


def lookup_reference(*, doi: str = "", pmid: str = "") -> ReferenceData:
    """Look up by DOI when given (doi.org is authoritative), else by PMID."""
    if doi.strip():
        found = lookup_doi(doi)
        if pmid.strip() and not found.pmid:
            found.pmid = normalize_pmid(pmid)
        return found
    if pmid.strip():
        return lookup_pmid(pmid)
    raise ReferenceLookupFailed("Enter a DOI or a PMID to fill the reference from.")
