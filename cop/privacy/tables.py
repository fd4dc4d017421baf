"""What each table holds, in the words of the people who use cop, for the audit log."""

from __future__ import annotations

from flask_babel import lazy_gettext as _l

TABLE_NAMES = {
    "action": _l("Actions at home"),
    "action_update": _l("Progress on actions"),
    "audit_entry": _l("Audit log"),
    "booking": _l("Interpreter bookings"),
    "code": _l("Codebook"),
    "coded_segment": _l("Coded passages"),
    "contact": _l("Contacts"),
    "content_translation": _l("Translations of visit content"),
    "cost": _l("Costs"),
    "date_option": _l("Dates proposed in polls"),
    "date_poll": _l("Date polls"),
    "date_vote": _l("Answers to date polls"),
    "effort_entry": _l("Effort"),
    "embargo": _l("Embargoes"),
    "erasure": _l("Erasures"),
    "exchange_rate": _l("Exchange rates"),
    "glossary_term": _l("Glossary"),
    "guide_question": _l("Reflection guide questions"),
    "interpreter": _l("Interpreters"),
    "interpreter_unavailability": _l("Interpreters’ unavailable days"),
    "itinerary_attendee": _l("Attendees of itinerary items"),
    "itinerary_item": _l("Itinerary"),
    "language_pair": _l("Interpreters’ languages"),
    "media_consent": _l("Photo and video consents"),
    "membership": _l("Members of visits"),
    "memo": _l("Research memos"),
    "message": _l("Messages"),
    "message_attachment": _l("Message attachments"),
    "message_translation": _l("Message translations"),
    "organisation": _l("Organisations"),
    "outbox_attachment": _l("Outgoing mail attachments"),
    "outbox_mail": _l("Outgoing mail"),
    "passage": _l("Reflection passages"),
    "person": _l("People"),
    "planning_task": _l("Planning checklist"),
    "poll_invitee": _l("People asked in date polls"),
    "post_check": _l("Checked posts"),
    "post_check_pictured": _l("People pictured in posts"),
    "programme": _l("Programmes"),
    "programme_researcher": _l("Researchers of programmes"),
    "protocol_acknowledgement": _l("Protocol acceptances"),
    "reflection": _l("Reflections"),
    "reminder": _l("Reminders sent"),
    "removed_membership": _l("Members removed from visits"),
    "self_rating": _l("Self-ratings"),
    "sign_in_session": _l("Sign-in sessions"),
    "signed_link": _l("Personal links"),
    "social_protocol": _l("Social-media protocols"),
    "survey_answer": _l("Network survey answers"),
    "survey_respondent": _l("Network survey respondents"),
    "survey_wave": _l("Network surveys"),
    "thread": _l("Correspondence threads"),
    "translation_memory": _l("Translation memory"),
    "user_account": _l("Accounts"),
    "visit": _l("Visits"),
    "visit_document": _l("Documents"),
}


def table_name(table: str) -> str:
    """A table as people know it; one added without a name shows as stored."""
    return str(TABLE_NAMES.get(table, table))
