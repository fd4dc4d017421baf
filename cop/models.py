"""Imports every domain's models so that metadata (and so migrations) sees all tables."""

from cop.accounts.models import SignInSession, User
from cop.actions.models import Action, ActionUpdate
from cop.computed.models import DataVersion, StoredView
from cop.correspondence.models import Message, MessageAttachment, MessageTranslation, Thread
from cop.designs.models import VisitDesign
from cop.directory.models import Organisation, Person
from cop.documents.models import VisitDocument
from cop.interpreting.models import (
    Booking,
    Engagement,
    Interpreter,
    LanguagePair,
    Unavailability,
)
from cop.itinerary.models import ItineraryItem
from cop.links import SignedLink
from cop.mail import OutboxAttachment, OutboxMail
from cop.network.models import Contact, SurveyAnswer, SurveyRespondent, SurveyWave
from cop.planning.models import Cost, EffortEntry, PlanningTask
from cop.polls.models import DateOption, DatePoll, DateVote, PollInvitee
from cop.privacy.models import AuditEntry, Erasure
from cop.reflections.models import GuideQuestion, Passage, Reflection, Reminder, SelfRating
from cop.research.models import Code, CodedSegment, Memo
from cop.social.models import (
    Embargo,
    MediaConsent,
    PostCheck,
    ProtocolAcknowledgement,
    SocialProtocol,
)
from cop.translation.models import GlossaryTerm, MemoryEntry
from cop.visits.models import Membership, Programme, ProgrammeResearcher, Visit

__all__ = [
    "DataVersion",
    "StoredView",
    "AuditEntry",
    "Erasure",
    "Booking",
    "Engagement",
    "VisitDesign",
    "Interpreter",
    "LanguagePair",
    "Unavailability",
    "Embargo",
    "MediaConsent",
    "PostCheck",
    "ProtocolAcknowledgement",
    "SocialProtocol",
    "Action",
    "ActionUpdate",
    "Code",
    "CodedSegment",
    "GuideQuestion",
    "Memo",
    "Passage",
    "Reflection",
    "Reminder",
    "SelfRating",
    "MessageAttachment",
    "Message",
    "MessageTranslation",
    "Thread",
    "GlossaryTerm",
    "MemoryEntry",
    "SurveyAnswer",
    "SurveyRespondent",
    "SurveyWave",
    "Contact",
    "VisitDocument",
    "Cost",
    "EffortEntry",
    "PlanningTask",
    "DateOption",
    "DatePoll",
    "DateVote",
    "PollInvitee",
    "ItineraryItem",
    "OutboxAttachment",
    "Membership",
    "Organisation",
    "OutboxMail",
    "Person",
    "Programme",
    "ProgrammeResearcher",
    "SignedLink",
    "SignInSession",
    "User",
    "Visit",
]
