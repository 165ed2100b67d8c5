"""The built-in domain vocabulary of the similarity measure: abbreviations, synonyms, stop words.

Each synonym maps one word (any inflection: it is stemmed) to the words it means; the
policy's `synonyms` add to it. Words an initiative's text uses to describe who and when,
not what ("team", "clerks", "every week"), are stop words: two teams with the same problem
name themselves differently.
"""

from __future__ import annotations

DOMAIN_SYNONYMS: dict[str, str] = {
    # finance
    "ap": "accounts payable",
    "ar": "accounts receivable",
    "po": "purchase order",
    "pos": "purchase order",
    "vendor": "supplier",
    "bill": "invoice",
    "reconcile": "match",
    "reconciliation": "match",
    "gl": "general ledger",
    "opex": "operating expense",
    "capex": "capital expense",
    "expense": "cost",
    # customers and service
    "client": "customer",
    "cs": "customer service",
    "cx": "customer experience",
    "crm": "customer relationship management",
    "faq": "frequently asked question",
    "query": "question",
    "enquiry": "question",
    "inquiry": "question",
    "reply": "answer",
    "respond": "answer",
    "response": "answer",
    "mail": "email",
    "ticket": "request",
    "nps": "net promoter score",
    "sla": "service level agreement",
    "kyc": "know your customer",
    # people and organisation
    "hr": "human resources",
    "hire": "recruit",
    "hiring": "recruit",
    "candidate": "applicant",
    "cv": "resume",
    "onboard": "onboarding",
    # operations and supply chain
    "erp": "enterprise resource planning",
    "sku": "product",
    "item": "product",
    "stock": "inventory",
    "warehouse": "depot",
    "shipment": "delivery",
    "parcel": "package",
    "truck": "lorry",
    "maintenance": "repair",
    "defect": "fault",
    "failure": "fault",
    # documents and work
    "doc": "document",
    "paperwork": "document",
    "form": "document",
    "contract": "agreement",
    "summarise": "summary",
    "summarize": "summary",
    "classify": "categorise",
    "categorize": "categorise",
    "triage": "categorise",
    "route": "categorise",
    "manual": "hand",
    "manually": "hand",
    "automate": "automatic",
    "fraudulent": "fraud",
}

STOP_WORDS: frozenset[str] = frozenset(
    "a an the and or for with that from their this than into per are was were has have had "
    "our we us they them who what when which while been being its it not but all any can "
    "will each to of in on at by as is be so do does did up out over about against across "
    "before after via more most less many much some such only also how why where there "
    "week weeks month months day days hour hours minute minutes time times year years work "
    "spend spent team teams staff clerk clerks people person employee employees colleague "
    "colleagues department departments group groups every often currently today new".split()
)
