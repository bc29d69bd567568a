"""The words the legal process is recorded in: the choices of the case records' fields.

Kept apart from the models so the published copy can share them without importing the
working records."""

from django.db import models


class SourceKind(models.TextChoices):
    ARTICLE = "article", "News article"
    COURT_DOCUMENT = "court_document", "Court document"
    PRESS_RELEASE = "press_release", "Press release"
    REPORT = "report", "Report"
    OTHER = "other", "Other"


class CaseStatus(models.TextChoices):
    INVESTIGATION = "investigation", "Under investigation"
    CHARGED = "charged", "Charged"
    PRE_TRIAL = "pre_trial", "Awaiting trial"
    TRIAL = "trial", "On trial"
    CONVICTED = "convicted", "Convicted"
    ACQUITTED = "acquitted", "Acquitted"
    DISMISSED = "dismissed", "Dismissed"
    SENTENCED = "sentenced", "Sentenced"
    APPEAL = "appeal", "On appeal"
    CLOSED = "closed", "Closed"


class DefendantStatus(models.TextChoices):
    CHARGED = "charged", "Charged"
    AT_LARGE = "at_large", "Charged, not in custody"
    PRE_TRIAL = "pre_trial", "Awaiting trial"
    TRIAL = "trial", "On trial"
    PLEADED_GUILTY = "pleaded_guilty", "Pleaded guilty"
    CONVICTED = "convicted", "Convicted"
    ACQUITTED = "acquitted", "Acquitted"
    DISMISSED = "dismissed", "Charges dismissed"
    SENTENCED = "sentenced", "Sentenced"
    APPEAL = "appeal", "On appeal"
    DECEASED = "deceased", "Died before judgment"


class DocumentKind(models.TextChoices):
    INDICTMENT = "indictment", "Indictment"
    SUPERSEDING_INDICTMENT = "superseding_indictment", "Superseding indictment"
    COMPLAINT = "complaint", "Complaint"
    INFORMATION = "information", "Information"


class ChargeCategory(models.TextChoices):
    TERRORISM = "terrorism", "Terrorism"
    NARCOTICS = "narcotics", "Narcotics"
    RACKETEERING = "racketeering", "Racketeering"
    VIOLENCE = "violence", "Murder and violent crime"
    WEAPONS = "weapons", "Weapons"
    MONEY_LAUNDERING = "money_laundering", "Money laundering"
    EXTORTION = "extortion", "Extortion"
    SMUGGLING = "smuggling", "Human smuggling and trafficking"
    CORRUPTION = "corruption", "Corruption"
    OTHER = "other", "Other"


class Disposition(models.TextChoices):
    PENDING = "pending", "Pending"
    DISMISSED = "dismissed", "Dismissed"
    PLEADED_GUILTY = "pleaded_guilty", "Pleaded guilty"
    CONVICTED = "convicted", "Convicted"
    ACQUITTED = "acquitted", "Acquitted"


class EventKind(models.TextChoices):
    INITIAL_APPEARANCE = "initial_appearance", "Initial appearance"
    ARRAIGNMENT = "arraignment", "Arraignment"
    DETENTION_HEARING = "detention_hearing", "Detention hearing"
    STATUS_CONFERENCE = "status_conference", "Status conference"
    MOTION_HEARING = "motion_hearing", "Motion hearing"
    PLEA_HEARING = "plea_hearing", "Plea hearing"
    TRIAL = "trial", "Trial"
    VERDICT = "verdict", "Verdict"
    SENTENCING = "sentencing", "Sentencing"
    APPEAL = "appeal", "Appeal hearing"
    OTHER = "other", "Other hearing"


class EventStatus(models.TextChoices):
    SCHEDULED = "scheduled", "Scheduled"
    HELD = "held", "Held"
    CANCELLED = "cancelled", "Cancelled"


class Plea(models.TextChoices):
    NOT_GUILTY = "not_guilty", "Not guilty"
    GUILTY = "guilty", "Guilty"
    NO_CONTEST = "no_contest", "No contest"
    NONE = "none", "No plea entered"


class ExtraditionStatus(models.TextChoices):
    PENDING = "pending", "Pending"
    GRANTED = "granted", "Granted"
    REFUSED = "refused", "Refused"
    WITHDRAWN = "withdrawn", "Withdrawn"
    SURRENDERED = "surrendered", "Surrendered"


class CustodyStatus(models.TextChoices):
    AT_LARGE = "at_large", "At large"
    FUGITIVE = "fugitive", "Fugitive"
    ARRESTED = "arrested", "Arrested"
    DETAINED = "detained", "Detained pending trial"
    IN_PRISON = "in_prison", "In prison"
    SERVING_SENTENCE = "serving_sentence", "Serving a sentence"
    TRANSFERRED = "transferred", "Handed over to another state"
    RELEASED = "released", "Released"
    ESCAPED = "escaped", "Escaped"
    DECEASED = "deceased", "Deceased"


PLEA_EVENTS = {EventKind.ARRAIGNMENT, EventKind.INITIAL_APPEARANCE, EventKind.PLEA_HEARING}


class TimelineKind(models.TextChoices):
    """Kinds of timeline item, in the order that breaks ties on the same date."""

    DOCUMENT_FILED = "document_filed", "Charging document filed"
    DOCUMENT_UNSEALED = "document_unsealed", "Charging document unsealed"
    EXTRADITION_REQUESTED = "extradition_requested", "Extradition requested"
    CUSTODY = "custody", "Custody change"
    COURT_EVENT = "court_event", "Court event"
    CHARGE_DISPOSED = "charge_disposed", "Charge decided"
    EXTRADITION_DECIDED = "extradition_decided", "Extradition decision"
