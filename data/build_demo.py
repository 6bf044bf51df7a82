"""Build data/demo.xlsx, the demo data set that `burden-tracker demo` loads.

About 200 nominations of unnecessary administrative work, modelled on published de-implementation
programs ("Getting Rid of Stupid Stuff" at Hawaii Pacific Health, Vanderbilt, Stanford and others),
with their users, supporters, comments, board votes and a few later withdrawals and duplicates.
The first sheet, Nominations, is in the importer's format. Dates are written as of 2026-11-20
(sheet About); the demo loader shifts them so that day becomes today.

The output is deterministic (random.Random(2026)). Rerun after editing the content below with:

    python data/build_demo.py
"""

from __future__ import annotations

import itertools
import random
from collections import Counter, defaultdict
from dataclasses import dataclass
from datetime import date, timedelta
from pathlib import Path

from openpyxl import Workbook
from openpyxl.styles import Font

OUT = Path(__file__).with_name("demo.xlsx")
AS_OF = date(2026, 11, 20)
MAX_WEEKLY_MINUTES = 2400  # 40 hours a week for one clinician

# Nominations submitted in each window (first day, last day, count): the program grows over time.
QUARTERS = [
    (date(2025, 7, 1), date(2025, 9, 30), 20),
    (date(2025, 10, 1), date(2025, 12, 31), 26),
    (date(2026, 1, 1), date(2026, 3, 31), 32),
    (date(2026, 4, 1), date(2026, 6, 30), 36),
    (date(2026, 7, 1), date(2026, 9, 30), 44),
    (date(2026, 10, 1), date(2026, 11, 15), 42),
]
STATUS_COUNTS = {"proposed": 60, "evaluated": 20, "rejected": 36}  # everything else is retired

DEPARTMENTS = {
    "ED": "Emergency Department", "IM": "Internal Medicine", "ICU": "Intensive Care Unit",
    "SURG": "Surgery", "PERI": "Perioperative Services", "PEDS": "Pediatrics",
    "LD": "Labor and Delivery", "ONC": "Oncology", "CARD": "Cardiology",
    "PC": "Primary Care", "BH": "Behavioral Health", "PHARM": "Pharmacy",
}  # fmt: skip
DEPARTMENT_SIZE = {"ED": 1.2, "IM": 1.6, "ICU": 1.0, "SURG": 1.0, "PERI": 1.2, "PEDS": 0.8,
                   "LD": 0.6, "ONC": 0.7, "CARD": 0.9, "PC": 1.5, "BH": 0.5, "PHARM": 1.0}  # fmt: skip
INPATIENT = "ED IM ICU SURG PEDS LD ONC CARD BH"
ALL = " ".join(DEPARTMENTS)
CLINICAL = INPATIENT + " PERI PC"

NURSE, MD, APP, MA, RPH, OTHER_ROLE = "nurse", "physician", "APP", "medical assistant", "pharmacist", "other"
TASK, FORM, EHR, DOC, POLICY, OTHER = "task", "form", "EHR click or alert", "documentation", "policy", "other"
REG, PAYER, INTERNAL, BUILD, UNKNOWN = (
    "regulation or accreditation", "payer", "internal policy", "EHR build or default", "unknown")  # fmt: skip
ROLE_TARGETS = {NURSE: 90, MD: 60, APP: 14, MA: 13, RPH: 12, OTHER_ROLE: 11}
HEADCOUNT = {NURSE: 150, MD: 45, APP: 18, MA: 30, RPH: 30, OTHER_ROLE: 25}  # per average department
PLURAL = {NURSE: "nurses", MD: "physicians", APP: "APPs", MA: "medical assistants", RPH: "pharmacists",
          OTHER_ROLE: "staff"}  # fmt: skip


@dataclass(frozen=True)
class Burden:
    role: str
    category: str
    source: str  # the requirement's real source, as the board confirms it
    minutes: float  # typical minutes per occurrence
    per_week: float  # typical occurrences per clinician per week
    departments: str  # codes of the departments where it is nominated
    title: str
    description: str
    change: str  # decision note when retired: what was changed
    keep: str | None = None  # decision note when rejected: why it stays


B = Burden
# fmt: off
BURDENS = [
    # Nursing
    B(NURSE, DOC, INTERNAL, 0.4, 72, INPATIENT, "Hourly rounding charted in two flowsheets",
      "Nurses chart purposeful hourly rounding in the rounding flowsheet and again as a safety-check row in "
      "the vitals flowsheet. Both capture the same four Ps and no report reads the second one.",
      "Removed the safety-check row from the vitals flowsheet; rounding is charted once."),
    B(NURSE, DOC, INTERNAL, 0.5, 60, INPATIENT + " PERI",
      "Pain reassessment row required when no analgesic was given",
      "The flowsheet forces a pain reassessment every 4 hours even for patients who scored 0 and got no "
      "analgesic. Our pain policy only asks for reassessment within an hour of a PRN dose.",
      "The reassessment row now appears only after a PRN analgesic; routine pain scoring stays once a "
      "shift."),
    B(NURSE, DOC, INTERNAL, 2, 18, INPATIENT,
      "Full fall-risk score recomputed every shift for stable patients",
      "Nurses recompute the whole Morse fall scale every 12 hours although nothing about the patient has "
      "changed. The score rarely moves and the interventions never do.",
      "Morse score required on admission, transfer, after a fall or a change in condition; otherwise one "
      "click."),
    B(NURSE, FORM, INTERNAL, 25, 4, INPATIENT, "Nursing admission history repeats the H&P",
      "The nursing admission navigator asks about 140 questions; a third of them (surgical history, home "
      "medications, tobacco use) are already in the H&P or the last visit and are retyped at every "
      "admission.",
      "Cut the admission navigator from 140 to 68 questions; shared sections pull from the H&P and last "
      "visit."),
    B(NURSE, EHR, BUILD, 0.5, 40, INPATIENT, "Sepsis screening alert fires on every abnormal vital sign",
      "The sepsis screening alert fires on each vital-sign entry that meets one SIRS criterion, including "
      "post-operative fevers already being worked up. Nurses dismiss it several times a shift with the same "
      "reason.",
      "Alert now needs two SIRS criteria plus lactate or hypotension and stays quiet 12 hours after "
      "acknowledgement.",
      "SEP-1 abstraction depends on documented screening; kept, but the board asked IT to suppress repeats."),
    B(NURSE, DOC, BUILD, 3, 12, INPATIENT,
      "Skin assessment charted in the shift assessment and wound flowsheet",
      "The full skin assessment is charted in the head-to-toe assessment and again, field by field, in the "
      "wound flowsheet.",
      "The wound flowsheet pulls skin findings from the shift assessment; only new or changed wounds go "
      "there."),
    B(NURSE, DOC, INTERNAL, 6, 6, INPATIENT, "Discharge teaching documented in three places",
      "Discharge teaching is charted in the education record, the discharge navigator and a free-text note, "
      "because each was added by a different committee.",
      "The education record is the single place; the discharge navigator and note template link to it."),
    B(NURSE, DOC, REG, 10, 4, "ED ICU BH IM PEDS", "Restraint checks charted on paper, then transcribed",
      "Fifteen-minute restraint observations are written on a paper sheet and typed into the EHR at the end "
      "of the shift.",
      "Retired the paper sheet; sitters chart the 15-minute checks on a tablet straight into the EHR.",
      "Monitoring at set intervals is required by CMS §482.13(e); kept. IT will build a one-tap 15-minute "
      "row."),
    B(NURSE, TASK, INTERNAL, 4, 15, INPATIENT + " PERI", "Handoff sheet printed, annotated and scanned",
      "Night shift prints a paper SBAR for every patient, writes updates by hand and scans it into the chart "
      "as the handoff record. The EHR handoff report already holds the same data.",
      "Stopped scanning handoff sheets; the EHR handoff report is the record and paper is optional scratch."),
    B(NURSE, DOC, REG, 5, 2, "ED ICU SURG PERI ONC IM LD PEDS",
      "Transfusion check signed on paper and in the EHR",
      "Two nurses verify each unit of blood, sign the paper transfusion tag and chart the same verification "
      "in the EHR. Blood bank files the tag but never reads it.",
      "Paper tag signature dropped; blood bank accepts the barcode-scanned dual verification in the EHR.",
      "Blood bank must keep the signed tag under AABB standards until the EHR interface is validated."),
    B(NURSE, TASK, BUILD, 5, 10, "IM SURG CARD ONC", "Daily 4 a.m. weight for every inpatient",
      "The general admission order set defaults to a daily weight at 04:00 for every patient, including "
      "short stays with no diuretics, fluids or weight-based drugs.",
      "Daily weight removed from the general admission order set; it stays in heart failure and renal sets."),
    B(NURSE, TASK, BUILD, 4, 20, "IM SURG ONC CARD PEDS BH",
      "Overnight vital signs every 4 hours for stable patients",
      "Stable patients are woken at midnight and 4 a.m. for vital signs because admission orders default to "
      "every 4 hours.",
      "Default changed to every 8 hours overnight when the early-warning score is low; nurses can increase "
      "it."),
    B(NURSE, DOC, REG, 4, 12, INPATIENT, "Every care plan problem updated every shift",
      "Nurses must open and update each care plan problem every shift even when nothing changed; most "
      "updates are a click-through of 'progressing'.",
      "Care plan review moved to once a day, for changed problems only; 'no change' is a single click.",
      "Surveyors cited plan-of-care documentation at the last Joint Commission visit; kept until the next "
      "survey."),
    B(NURSE, DOC, BUILD, 1, 36, INPATIENT + " PERI",
      "IV site assessed in both the LDA and head-to-toe sections",
      "Each IV line is assessed in the lines-drains-airways section and again in a head-to-toe IV site row.",
      "IV site row removed from the head-to-toe assessment; the LDA assessment is the single record."),
    B(NURSE, DOC, REG, 3, 12, "IM SURG ONC CARD BH ED", "Suicide risk screener repeated every shift",
      "The C-SSRS screener must be completed every shift on every adult inpatient, including patients who "
      "screened negative on admission and have not changed.",
      "Full C-SSRS on admission and with a change in condition; the shift row became a one-question check.",
      "NPSG 15.01.01 requires screening patients with behavioral health conditions; kept for now."),
    B(NURSE, POLICY, INTERNAL, 25, 0.3, CLINICAL, "Same annual e-learning modules repeated every year",
      "Every nurse repeats 14 annual e-learning modules (fire safety, back safety, hand hygiene and more) "
      "even when the content has not changed and a short test-out would do.",
      "Replaced 9 of the 14 annual modules with a 10-minute test-out; full modules only when content "
      "changes."),
    B(NURSE, EHR, BUILD, 1, 30, "ICU IM ONC CARD SURG PEDS",
      "Infusion rates retyped into the MAR from smart pumps",
      "Nurses program the smart pump and then type the same rate into the MAR, although the pumps are "
      "integrated and can send it.",
      "Auto-documentation from the integrated pumps turned on; nurses verify the rate instead of retyping "
      "it."),
    B(NURSE, TASK, BUILD, 1, 40, "IM SURG ONC CARD PEDS",
      "Strict intake and output by default for every admission",
      "The medical admission order set defaults to strict intake and output, so nurses and aides measure and "
      "chart every cup.",
      "Strict I&O is no longer a default; it is ordered for specific indications."),
    B(NURSE, POLICY, INTERNAL, 4, 10, "IM SURG ONC CARD PEDS LD",
      "Second-nurse co-sign for every insulin dose",
      "A second RN must witness and co-sign every subcutaneous insulin dose, fixed basal doses included, "
      "which sends nurses looking for a colleague several times a shift.",
      "Independent double check limited to insulin infusions and pediatric doses, in line with ISMP "
      "guidance.",
      "The medication safety committee keeps the double check for correction-scale doses; review in six "
      "months."),
    B(NURSE, DOC, INTERNAL, 0.3, 72, INPATIENT, "Hourly 'bed alarm on' flowsheet row",
      "Nurses chart 'bed alarm on' every hour for patients at risk of falls, although the alarm state shows "
      "on the bed and the row adds nothing to fall prevention.",
      "Hourly bed-alarm row removed; the alarm is documented once a shift with the fall-prevention "
      "measures."),
    B(NURSE, TASK, INTERNAL, 10, 5, "ED IM SURG CARD ONC",
      "Home medication list taken three times at admission",
      "The home medication history is taken by the ED nurse, the pharmacy technician and the admitting "
      "physician, each in a different section of the chart.",
      "Pharmacy technicians own the home medication history; nurses and physicians review it, not retake "
      "it."),
    B(NURSE, TASK, INTERNAL, 3, 20, "CARD ICU IM ED", "Rhythm strips printed and taped into a paper chart",
      "Every 4 hours and at each rhythm change nurses print a strip, measure intervals by hand and tape it "
      "into a paper chart that is shredded at discharge.",
      "Strips are saved electronically from the central monitor with measured intervals; paper mounting "
      "stopped."),
    B(NURSE, DOC, BUILD, 0.5, 40, "ICU PEDS",
      "Ventilator oral care charted in the VAP bundle and hygiene rows",
      "Oral care for ventilated patients is charted in the VAP bundle and again in the hygiene flowsheet "
      "every 2 hours.",
      "The VAP bundle row now files to the hygiene flowsheet: one entry feeds both reports."),
    B(NURSE, DOC, BUILD, 0.4, 100, "LD", "Fetal heart rate interpretation charted in two systems",
      "Every 15 minutes in active labor the tracing interpretation is charted in the fetal monitoring system "
      "and again in the EHR flowsheet.",
      "Fetal monitoring annotations now interface into the EHR flowsheet; nurses chart once."),
    B(NURSE, FORM, REG, 5, 8, "ONC PEDS", "Chemotherapy double check on a paper checklist and in the EHR",
      "Two nurses verify chemotherapy at the bedside, sign a paper checklist and repeat the same "
      "verification in the EHR.",
      "Paper checklist retired; the EHR dual sign-off meets the ASCO/ONS safety standard.",
      "ASCO/ONS standards require the independent double check; kept until the EHR form passes pharmacy "
      "audit."),
    B(NURSE, TASK, INTERNAL, 2, 4, INPATIENT, "Paper isolation log at the nurses' station",
      "Every isolation sign hung on a door is also written in a paper log at the station, which infection "
      "prevention stopped collecting.",
      "Paper isolation log stopped; infection prevention reports straight from isolation orders."),
    B(NURSE, TASK, UNKNOWN, 15, 3, INPATIENT, "Hand-timed call-light audit each shift",
      "Charge nurses hand-write call-light response times for ten patients every shift for a dashboard that "
      "stopped being published in 2023.",
      "Audit stopped; the nurse call system's response-time report replaces it."),
    B(NURSE, FORM, INTERNAL, 8, 3, INPATIENT + " PERI", "Belongings inventory re-signed at every transfer",
      "A three-page belongings inventory is completed and signed by patient and nurse on admission and again "
      "at every unit transfer.",
      "Inventory done on admission and discharge only; transfers carry it forward."),
    B(NURSE, DOC, REG, 2, 5, "IM SURG CARD ONC ED", "Vaccine screening asked at every admission",
      "Influenza and pneumococcal screening is asked on every admission, in summer too and for patients "
      "readmitted within the week.",
      "Screening suppressed when done in the last 30 days; the influenza part is asked only in flu season.",
      "CMS requires offering immunizations to inpatients; kept, but answers now prefill from the state "
      "registry."),
    B(NURSE, EHR, BUILD, 0.5, 15, "ED IM SURG PEDS ONC CARD LD", "Height re-entered at every admission",
      "A hard stop requires a measured height at each admission, even for adults with a height on file from "
      "last week.",
      "Height carries forward for adults measured in the last year; the hard stop applies to children only."),
    # Physicians
    B(MD, FORM, PAYER, 45, 2, "PC CARD ONC BH PEDS", "Prior authorization for low-cost generic drugs",
      "Prior authorization forms are required for inexpensive generics that the payer approves almost every "
      "time; each one means copying notes into a payer portal.",
      "The central prior-authorization team completes these from a template; physicians sign only after a "
      "denial.",
      "The payer contract requires the authorization; kept. Managed care will raise it at contract renewal."),
    B(MD, TASK, PAYER, 45, 1, "PC CARD ONC SURG IM", "Peer-to-peer calls for routine imaging denials",
      "After an imaging denial the ordering physician must book a peer-to-peer call with the payer's "
      "reviewer and often waits 20 minutes on hold for a study that is then approved.",
      "Utilization review nurses handle first-level appeals in writing; physicians join only when asked.",
      "The payer accepts appeals only by peer-to-peer; kept. Managed care is logging the time for contract "
      "talks."),
    B(MD, POLICY, REG, 0.5, 40, "ED IM ICU SURG PERI PEDS LD CARD ONC",
      "Co-signature of every verbal and protocol order",
      "Physicians must co-sign each verbal or telephone order within 48 hours, including orders placed under "
      "nursing protocols the medical staff already approved.",
      "Protocol orders no longer route for co-signature; CMS defers to state law, which sets no time limit.",
      "State law requires authentication of verbal orders; kept, but the co-sign inbox now batches them "
      "daily."),
    B(MD, EHR, BUILD, 0.3, 40, "IM ICU SURG CARD ONC",
      "VTE prophylaxis alert on patients already anticoagulated",
      "The VTE prophylaxis alert fires at every order signing for patients already on therapeutic heparin or "
      "a DOAC, and must be dismissed with a reason each time.",
      "Alert now excludes patients with an active anticoagulant order; firings fell by about 70%."),
    B(MD, DOC, PAYER, 1, 60, "IM SURG PEDS ICU ED",
      "Long teaching-physician attestation on every resident note",
      "Attendings add a 90-word attestation to every resident note, although a short statement meets the CMS "
      "teaching physician rules.",
      "Replaced the 90-word attestation with the short CMS-accepted statement, inserted with one click."),
    B(MD, EHR, BUILD, 8, 3, "ICU IM SURG CARD",
      "Full medication reconciliation at every level-of-care transfer",
      "Transfer reconciliation must be completed in full when a patient moves from the ICU to the floor, "
      "even when the same team keeps caring for the patient.",
      "Transfer reconciliation reviews changed orders only; the full one stays at admission and discharge.",
      "NPSG 03.06.01 expects reconciliation at transitions; kept while a shorter within-team review is "
      "designed."),
    B(MD, DOC, REG, 5, 3, "ED IM ICU", "Separate sepsis reassessment note after a fluid bolus",
      "After a sepsis bolus the physician must write a separate reassessment note with set phrases so "
      "abstractors can find it, although the exam is already in the progress note.",
      "Reassessment is a three-click smart form inside the progress note, which abstractors accept.",
      "CMS SEP-1 abstraction needs a timed reassessment; kept until quality accepts the smart form."),
    B(MD, DOC, REG, 5, 8, "SURG PERI", "Separate H&P update note on the morning of surgery",
      "Surgeons write a separate H&P update note on the day of surgery even when the clinic H&P is days old "
      "and nothing has changed.",
      "The update is a one-click 'examined, no change' attestation in the pre-op navigator.",
      "CMS §482.22(c)(5) requires an update within 24 hours; kept, but the board asked IT to prefill it."),
    B(MD, FORM, INTERNAL, 10, 6, "SURG PERI LD CARD",
      "Procedure consent signed in clinic and again in pre-op",
      "Consent is signed on paper in clinic and again electronically in pre-op, and anesthesia has its own "
      "separate form.",
      "Clinic e-consent carries to the day of the procedure; pre-op confirms it instead of re-signing.",
      "State law requires the proceduralist's signature; kept while legal reviews the clinic signature."),
    B(MD, DOC, BUILD, 10, 8, "IM SURG PEDS CARD ONC",
      "Hospital course written twice: discharge summary and AVS",
      "Hospitalists write the hospital course in the discharge summary and again by hand, in plain language, "
      "in the after-visit summary.",
      "The AVS pulls the hospital course with a plain-language prompt; physicians edit instead of retyping."),
    B(MD, EHR, BUILD, 0.3, 150, "PC IM CARD ONC PEDS", "Inbox messages for results ordered by other services",
      "Physicians get an inbox message for every result on every patient they once saw, including labs "
      "ordered by consultants.",
      "Results route only to the ordering provider and the attending of record; copies are opt-in."),
    B(MD, EHR, REG, 0.3, 50, "ED IM SURG PEDS ONC CARD",
      "Indication picked from a 40-item list for every PRN",
      "Every PRN order requires an indication chosen from a 40-item list, acetaminophen included.",
      "Indications default from the order panel for common PRNs; the list appears only for the rest.",
      "Joint Commission MM.04.01.01 requires an indication on PRN orders; kept, with defaults on common "
      "panels."),
    B(MD, EHR, BUILD, 0.3, 60, "IM SURG PEDS ICU CARD ONC", "Hard stop on problem list review before signing",
      "A hard stop blocks signing a progress note until the problem list is marked reviewed; physicians "
      "click through it without reviewing.",
      "Hard stop removed; problem list review is prompted once per admission."),
    B(MD, TASK, REG, 3, 8, "ED PC BH SURG ONC", "Prescription monitoring lookup in a separate website",
      "Before each controlled-substance prescription physicians log into the state PDMP website, search the "
      "patient and then document that they did.",
      "PDMP lookup integrated in the EHR: one click from the order, documented automatically.",
      "State law requires the PDMP check; kept. IT will integrate the lookup into the EHR next quarter."),
    B(MD, FORM, UNKNOWN, 20, 2, "PC BH ONC", "Handwritten FMLA forms for short absences",
      "Employers send four-page FMLA forms even for one-day absences, and physicians fill them in by hand "
      "from the chart.",
      "Clinic staff prefill FMLA forms from the chart; physicians review and sign."),
    B(MD, FORM, PAYER, 5, 6, "PC IM CARD", "Home health plans of care signed by fax",
      "Home health plans of care arrive by fax for signature and again at each 60-day recertification, often "
      "for patients the physician has not seen.",
      "Plans of care arrive in the EHR inbox and are signed electronically in batches.",
      "Medicare requires physician certification every 60 days; kept, now signed electronically in batches."),
    B(MD, DOC, PAYER, 2, 30, "IM PC SURG PEDS CARD", "Ten-point review of systems in every progress note",
      "The progress note template still forces a 10-point review of systems that the 2023 E/M guidelines no "
      "longer need for billing.",
      "ROS section removed from the progress note template; coding confirmed the 2023 E/M rules do not need "
      "it."),
    B(MD, EHR, BUILD, 1.5, 6, "ICU IM SURG CARD ONC", "Code status re-entered at every transfer",
      "Code status orders are discontinued at each level-of-care change and must be re-entered behind a hard "
      "stop.",
      "Code status carries across transfers; the team is prompted to review it, not re-enter it."),
    B(MD, EHR, BUILD, 0.3, 40, "SURG PERI ED", "Opioid risk alert on every short post-operative prescription",
      "The opioid risk alert fires on every post-operative opioid order, even short courses inside the "
      "surgical pathway, and surgeons dismiss it dozens of times a week.",
      "Alert suppressed inside the enhanced-recovery pathway and for supplies of three days or less."),
    B(MD, DOC, REG, 2, 10, "SURG PERI CARD LD", "Time-out checklist on paper and in the EHR",
      "The procedural time-out is read from a paper checklist, signed, and then documented again in the EHR.",
      "Paper time-out checklist retired; the EHR time-out is the record and shows on the room screen.",
      "The Universal Protocol requires a documented time-out; the paper copy stays until screens are "
      "installed."),
    B(MD, DOC, INTERNAL, 15, 5, "IM PEDS SURG ICU", "Resident handoff kept in three places",
      "Residents write the handoff in the EHR handoff tool, on a printed list and in a shared spreadsheet.",
      "The EHR handoff tool is the single source; the shared spreadsheet was retired."),
    B(MD, EHR, BUILD, 0.3, 40, "ED IM SURG PC PEDS", "Allergy review prompt at every order session",
      "Allergies must be marked reviewed at each order session, not once per encounter, so physicians click "
      "the same prompt many times a day.",
      "Allergy review prompt moved to once per encounter and whenever the allergy list changes."),
    # Advanced practice providers
    B(APP, POLICY, INTERNAL, 1, 50, "PC ED IM ONC CARD BH", "Physician co-signature of every NP and PA note",
      "Every NP and PA note routes to a supervising physician for co-signature, although state law and our "
      "bylaws only require review of a sample.",
      "Co-signature applies to the sample set by each collaboration agreement; other notes close on "
      "signature."),
    B(APP, FORM, REG, 10, 3, "ED IM CARD", "Observation notice explained twice",
      "APPs hand each observation patient the two-page Medicare outpatient observation notice and explain "
      "it, though case management already does.",
      "Case management delivers and explains the MOON form; APPs no longer duplicate it.",
      "The NOTICE Act sets a 36-hour deadline and case management is off site at night; kept overnight."),
    B(APP, OTHER, INTERNAL, 3, 10, "PC PEDS ED", "New work and school notes written after the visit",
      "Patients call for work or school notes after visits the APP already documented; each is a new letter "
      "to write and sign.",
      "The after-visit summary has a work/school note section patients can print from the portal."),
    B(APP, DOC, PAYER, 8, 3, "PC IM CARD", "Separate face-to-face note for equipment orders",
      "Medicare equipment orders (walkers, oxygen) need a separate face-to-face note with set wording, "
      "rewritten from the visit note.",
      "A smart text pulls the visit findings into the equipment order; no separate note.",
      "Medicare requires face-to-face documentation for equipment; kept, with a smart text to pull "
      "findings."),
    B(APP, POLICY, INTERNAL, 15, 4, "IM SURG CARD ONC", "Attending rewrites a full note after APP admissions",
      "Because of an old bylaw the attending rewrites a full admission note after the APP's H&P, and APPs "
      "hold each encounter open and chase the attending to close it.",
      "Bylaws amended: attendings add a brief attestation to APP admissions."),
    B(APP, TASK, INTERNAL, 2, 6, "ED ICU SURG", "Procedure log kept by hand for recredentialing",
      "APPs keep a paper or spreadsheet log of every procedure for recredentialing, although each procedure "
      "is already documented in the EHR.",
      "Medical staff services pulls procedure counts from an EHR report."),
    # Medical assistants
    B(MA, TASK, UNKNOWN, 3, 15, "PC PEDS CARD ONC", "Faxed lab results signed and faxed back",
      "Outside labs fax results that also arrive through the interface, and the clinic must sign each fax "
      "and fax back a receipt.",
      "The lab stopped faxing results that arrive by interface; critical results are phoned."),
    B(MA, DOC, PAYER, 0.5, 80, "PC PEDS CARD BH ONC", "Tobacco status re-asked at every visit",
      "A required tobacco field must be completed at every visit, even for patients who never smoked and "
      "were asked last month.",
      "Tobacco status stays valid for 12 months and is re-asked only when due.",
      "Required for a payer quality measure; kept, but the field prefills from the last visit."),
    B(MA, FORM, INTERNAL, 3, 60, "PC PEDS CARD ONC BH", "Rooming screens repeated at visits a week apart",
      "MAs ask the depression, fall and safety screening questions at every visit, including return visits "
      "within a week.",
      "Screenings follow their guideline intervals and are suppressed when done recently."),
    B(MA, TASK, INTERNAL, 4, 20, "PC CARD ONC BH PEDS",
      "Electronic outside records printed and scanned back in",
      "Outside records that arrive electronically are printed, stamped and scanned back into the media tab "
      "so they can be indexed.",
      "Electronic records are indexed directly from the inbound queue without printing."),
    B(MA, FORM, PAYER, 30, 3, "PC CARD BH ONC", "Yearly prior authorization renewal for the same drug",
      "Every year MAs restart the prior authorization for the same maintenance drug, re-sending notes the "
      "payer already has.",
      "Renewals moved to the central team, using electronic prior authorization prefilled from the chart.",
      "The payer requires yearly renewal; kept. The central team now tracks renewal dates so none lapse."),
    B(MA, EHR, BUILD, 1, 40, "PC PEDS", "Vaccine lot numbers typed by hand",
      "Vaccine lot numbers and expiry dates are typed by hand for every dose, although the vials carry "
      "barcodes.",
      "Barcode scanning of vaccine vials turned on in the immunization activity."),
    # Pharmacists
    B(RPH, EHR, BUILD, 0.3, 150, "PHARM ICU ED IM", "Pharmacist verification of floor-stock orders",
      "Pharmacists must verify orders for floor-stock items such as saline flushes and lidocaine jelly that "
      "never pass through pharmacy.",
      "Low-risk floor-stock orders auto-verify from the list approved by Pharmacy and Therapeutics."),
    B(RPH, DOC, INTERNAL, 5, 20, "PHARM ICU IM ONC", "Progress note for every renal dose adjustment",
      "Pharmacists write a full progress note for each renal dose adjustment on top of the order change and "
      "the intervention log.",
      "The intervention log entry is the record; progress notes only for complex cases."),
    B(RPH, TASK, REG, 30, 5, "PHARM ONC ED", "Paper proof-of-use sheets reconciled against cabinet reports",
      "Pharmacy reconciles paper controlled-substance proof-of-use sheets against automated cabinet reports "
      "every day.",
      "Paper proof-of-use sheets retired where cabinets are automated; the discrepancy report is reviewed "
      "instead.",
      "DEA and state board rules require the reconciliation; kept, limited to discrepancies from next "
      "month."),
    B(RPH, FORM, INTERNAL, 10, 4, "PHARM IM ICU PEDS", "Non-formulary requests on a faxed paper form",
      "Non-formulary requests are faxed from the unit on a paper form and then re-entered by pharmacy.",
      "Non-formulary requests are an order question in the EHR; the fax form was retired."),
    B(RPH, EHR, BUILD, 0.2, 300, "PHARM ICU ONC CARD",
      "Low-severity interaction alerts at order verification",
      "Pharmacists see every low- and moderate-severity interaction at verification, including ones the "
      "prescriber already overrode.",
      "Vendor default changed: only severe interactions show at verification; overridden ones are not "
      "re-shown."),
    B(RPH, DOC, REG, 2, 40, "PHARM ONC PEDS ICU", "Compounded doses logged on paper and in the IV system",
      "Each compounded sterile product is written in a paper log and again in the IV workflow system.",
      "Paper compounding log retired; the IV workflow system's audit trail meets USP <797> record keeping.",
      "State board of pharmacy inspectors asked for the paper log; kept until they accept the electronic "
      "one."),
    # Other staff: unit secretaries, respiratory therapists, social workers, schedulers, managers
    B(OTHER_ROLE, TASK, INTERNAL, 20, 5, "IM SURG ONC CARD PEDS BH",
      "Unit census copied by hand into staffing",
      "Every shift the unit secretary copies the census from the EHR onto paper and then into the staffing "
      "system.",
      "The staffing system imports the census from the EHR."),
    B(OTHER_ROLE, EHR, BUILD, 1, 50, "ICU PEDS ED", "Ventilator settings typed in by respiratory therapists",
      "Respiratory therapists read ventilator settings off the screen and type them in, although the "
      "ventilators are connected to device integration.",
      "Device integration turned on; respiratory therapists validate the pulled values."),
    B(OTHER_ROLE, DOC, INTERNAL, 15, 8, "IM BH ONC PEDS", "Psychosocial assessment entered in two systems",
      "Social workers enter the psychosocial assessment in the case management system and again in the EHR.",
      "The case management system was retired for inpatient units; the EHR assessment is the record."),
    B(OTHER_ROLE, TASK, INTERNAL, 3, 60, "PC CARD ONC PEDS BH",
      "Reminder calls for visits already confirmed by text",
      "Schedulers phone patients to confirm appointments the patient already confirmed by text message.",
      "Phone confirmations stopped for patients who confirmed by text."),
    B(OTHER_ROLE, OTHER, INTERNAL, 2, 5, ALL, "Paper sign-in sheet at daily safety huddles",
      "Each daily safety huddle needs a paper sign-in sheet, which is filed and never looked at again.",
      "Sign-in sheet dropped; attendance is recorded only for required education."),
    B(OTHER_ROLE, OTHER, UNKNOWN, 10, 5, "ED ICU IM CARD", "Transfer transport requests faxed, then phoned",
      "Inter-facility transfer requests are filled in on paper, faxed to the transport office and then "
      "phoned to check the fax arrived.",
      "Transfer requests moved to the EHR transport order; the fax form was retired."),
]
# fmt: on

SIGN_IN_USERS = [  # email, name, roles
    ("staff@demo.test", "Sam Rivera", "staff"),
    ("nurse@demo.test", "Priya Nair, RN", "staff"),
    ("board@demo.test", "Dr. Alex Chen", "staff,board"),
    ("board2@demo.test", "Linda Okoro, RN", "staff,board"),
    ("board3@demo.test", "Dr. Rafael Ortega", "staff,board"),
    ("board4@demo.test", "Hannah Weiss, PharmD", "staff,board"),
    ("board5@demo.test", "Dr. Kenji Mori", "staff,board"),
    ("executive@demo.test", "Jordan Blake", "executive"),
    ("admin@demo.test", "Morgan Lee", "admin,staff"),
]
BOARD = [u[0] for u in SIGN_IN_USERS if "board" in u[2]]
DEMO_SUBMITTERS = {"nurse@demo.test": (NURSE,), "staff@demo.test": (MA, OTHER_ROLE)}
# Frontline staff who nominate and support, by clinical role.
FRONTLINE_NAMES = {
    NURSE: "Maria Santos, Aisha Bello, Kevin O'Brien, Mei Wong, Tomasz Kowalski, Grace Kim, Daniel Okafor, "
    "Leilani Kahale, Rachel Goldberg, Carlos Mendoza, Hannah Johansson, Fatima Rahman, Jessica Nguyen, "
    "Marcus Washington, Emily Carter, Sofia Rossi, Kwame Mensah, Laura Fischer, Ana Lopez, Brianna Thompson, "
    "Noah Tanaka, Chloe Martin, Olga Petrova, Jamal Harris, Keiko Sato, Isabel Ortiz",
    MD: "Samuel Adeyemi, Elena Popescu, Rajesh Iyer, Catherine Walsh, Hiroshi Yamamoto, Nadia Haddad, "
    "Michael Brennan, Julia Schmidt, Omar Farouk, Lucy Zhang, David Cohen, Amara Nwosu, Peter Lindqvist, "
    "Sarah Mitchell, Diego Herrera, Anjali Mehta, Thomas Reilly, Yuki Fujimoto",
    APP: "Kayla Brooks, Ben Alvarez, Nora Quinn, Tariq Aziz, Megan Holt",
    MA: "Luis Garcia, Tiffany Moore, Ngoc Tran, Destiny Jackson",
    RPH: "Victor Chang, Ingrid Olsen, Ravi Patel, Monique Dubois",
    OTHER_ROLE: "Gloria Ramirez, Patrick Doyle, Simone Baptiste",
}
FRONTLINE = [(name, role) for role, names in FRONTLINE_NAMES.items() for name in names.split(", ")]
CREDENTIAL = {NURSE: "{}, RN", MD: "Dr. {}", APP: "{}, NP", MA: "{}, CMA", RPH: "{}, PharmD",
              OTHER_ROLE: "{}"}  # fmt: skip

STAFF_COMMENTS = [
    "Same in {dept}; for us it happens more often than the estimate says.",
    "This one costs me real time every week. Thank you for raising it.",
    "Does anyone know who asked for this? Our manager could not find the policy.",
    "New graduates ask me why we do this and I have no answer.",
    "We were told years ago this was a Joint Commission thing. Worth checking if it still is.",
    "Agree. The information is already in the chart two screens away.",
    "Please count float staff too; we do it on every unit we cover.",
    "I timed it today: about {took} each time, not counting interruptions.",
    "Our unit built a workaround in a shared template, which says how much nobody needs the original.",
    "+1. It is the first thing new hires complain about in orientation.",
    "If it has to stay, could it at least be prefilled from the last entry?",
    "Happens on every unit I float to, not just ours.",
]
BOARD_COMMENTS = [
    "Thanks for nominating this. We asked compliance whether anything external requires it.",
    "From the estimates, this happens about {times:,} times a month in {dept}.",
    "On the agenda for the next review board meeting.",
    "We found the owner of this requirement and asked them to the next meeting.",
    "Could someone from {dept} join the next meeting to walk us through the workflow?",
]
THANKS_COMMENTS = [
    "Gone as of this week. Thank you!",
    "Noticed the difference on my first shift back. Thanks to the board for moving on this.",
    "Confirmed in {dept}: the change is live and nobody misses the old way.",
    "This gave me back real time every week. Please keep these coming.",
]
REJECTED_REPLIES = [
    "Disappointing, but thanks for explaining where the requirement comes from.",
    "Understood. Glad to know it is a real requirement, at least.",
]
WITHDRAW_NOTES = [
    "Our manager sorted this out locally; nothing left for the board to do.",
    "I checked with compliance myself; there is more behind this requirement than I thought.",
    "Turns out this was already fixed for our unit last month.",
    "Talked it through with our educator; withdrawing until I have better numbers.",
    "I filed this for the wrong department; will resubmit.",
    "Moving to another unit and cannot follow it up; withdrawing.",
]
DUPLICATE_NOUN = {TASK: "task", FORM: "form", EHR: "EHR step", DOC: "documentation requirement",
                  POLICY: "policy", OTHER: "request"}  # fmt: skip
NOMINATION_COLUMNS = [
    "title", "description", "category", "department", "affected_role", "minutes_per_occurrence",
    "occurrences_per_week", "clinicians_affected", "requirement_source", "submitted_by", "submitted_on",
    "status", "retired_on", "decision_note", "anonymous", "decided_on",
]  # fmt: skip


def email_of(name: str) -> str:
    first, last = name.split(" ", 1)
    return f"{first}.{last}".lower().replace("'", "").replace(" ", "") + "@demo.test"


def round_minutes(x: float) -> float:
    return max(0.2, round(x, 1)) if x < 1 else round(x * 2) / 2 if x < 10 else float(round(x))


def round_per_week(x: float) -> float:
    return max(0.1, round(x, 1)) if x < 1 else round(x * 2) / 2 if x < 3 else float(round(x))


def tidy(x: float) -> float | int:
    return int(x) if float(x).is_integer() else x


def between(rng: random.Random, first: date, last: date) -> date:
    return first + timedelta(days=rng.randint(0, max(0, (last - first).days)))


def new_nomination(rng: random.Random, burden: Burden, dept: str) -> dict:
    minutes = round_minutes(burden.minutes * rng.uniform(0.8, 1.25))
    per_week = min(round_per_week(burden.per_week * rng.uniform(0.75, 1.3)), MAX_WEEKLY_MINUTES // minutes)
    hospital_wide = burden.departments in (ALL, CLINICAL)
    size = HEADCOUNT[burden.role] * DEPARTMENT_SIZE[dept] * (3 if hospital_wide else 1)
    name = DEPARTMENTS[dept]
    short = burden.title[0].lower() + burden.title[1:] if burden.title[1].islower() else burden.title
    title = f"{burden.title} ({name})" if rng.random() < 0.6 else f"{name}: {short}"
    clinicians = max(5, min(900, round(size * rng.uniform(0.4, 1))))
    return {
        "burden": burden, "title": title, "description": burden.description, "category": burden.category,
        "department": name, "affected_role": burden.role, "minutes_per_occurrence": tidy(minutes),
        "occurrences_per_week": tidy(per_week), "clinicians_affected": clinicians,
        "requirement_source": burden.source, "anonymous": "no",
    }  # fmt: skip


def make_nominations(rng: random.Random) -> list[dict]:
    """Spread each role's quota over its burdens, one department per copy, then date them."""
    noms, used, per_department = [], defaultdict(set), Counter()
    for role, target in ROLE_TARGETS.items():
        pool = [b for b in BURDENS if b.role == role]
        rng.shuffle(pool)
        for burden in itertools.cycle(pool):
            if sum(n["affected_role"] == role for n in noms) == target:
                break
            free = sorted(set(burden.departments.split()) - used[burden.title])
            if free:
                weights = [DEPARTMENT_SIZE[d] / (1 + per_department[d]) for d in free]
                dept = rng.choices(free, weights)[0]
                used[burden.title].add(dept)
                per_department[dept] += 1
                noms.append(new_nomination(rng, burden, dept))
    windows = [(first, last) for first, last, count in QUARTERS for _ in range(count)]
    rng.shuffle(windows)
    for n, (first, last) in zip(noms, windows, strict=True):
        n["submitted_on"] = between(rng, first, last)
    for n in rng.sample(noms, len(noms) // 10):
        n["anonymous"] = "yes"
    return sorted(noms, key=lambda n: (n["submitted_on"], n["title"]))


def evaluation_note(n: dict) -> str:
    minutes, per_week = tidy(n["minutes_per_occurrence"]), tidy(n["occurrences_per_week"])
    return (f"Timed with {n['department']} {PLURAL[n['affected_role']]}: about {minutes} min, "
            f"{per_week} times a week each. Source confirmed as {n['burden'].source}; the owner agrees "
            "it can change. Ready for a vote.")  # fmt: skip


def assign_statuses(rng: random.Random, noms: list[dict]) -> None:
    """Recent nominations are mostly proposed, older ones decided; rejections go to required burdens."""
    by_age = sorted(noms, key=lambda n: (AS_OF - n["submitted_on"]).days * rng.lognormvariate(0, 0.35))
    n_proposed, n_evaluated = STATUS_COUNTS["proposed"], STATUS_COUNTS["evaluated"]
    decided = by_age[n_proposed + n_evaluated :]
    keepable = [n for n in decided if n["burden"].keep]
    rng.shuffle(keepable)
    keepable.sort(key=lambda n: n["requirement_source"] not in (REG, PAYER))  # external requirements first
    proposed = {id(n) for n in by_age[:n_proposed]}
    evaluated = {id(n) for n in by_age[n_proposed : n_proposed + n_evaluated]}
    rejected = {id(n) for n in keepable[: STATUS_COUNTS["rejected"]]}
    for n in noms:
        n.update(status="retired", retired_on=None, decided_on=None, decision_note=None)
        burden, submitted = n["burden"], n["submitted_on"]
        if id(n) in proposed:
            n["status"] = "proposed"
            if rng.random() < 0.2:  # the submitter did not know where the requirement comes from
                n["requirement_source"] = UNKNOWN
        elif id(n) in evaluated:
            decided_on = min(AS_OF, submitted + timedelta(rng.randint(14, 63)))
            n.update(status="evaluated", decided_on=decided_on, decision_note=evaluation_note(n))
        elif id(n) in rejected:
            decided_on = min(AS_OF, submitted + timedelta(rng.randint(21, 84)))
            n.update(status="rejected", decided_on=decided_on, decision_note=burden.keep)
        else:
            retired_on = submitted + timedelta(rng.randint(21, 112))  # 3 to 16 weeks later
            retired_on = min(retired_on, max(AS_OF, submitted + timedelta(21)))
            n.update(retired_on=retired_on, decision_note=burden.change)


def assign_submitters(rng: random.Random, noms: list[dict]) -> None:
    """The two demo staff accounts get a spread of outcomes; frontline staff share the rest by role."""
    wishes = [("nurse@demo.test", s) for s in ("retired", "retired", "rejected", "evaluated", "proposed")]
    wishes += [("staff@demo.test", s) for s in ("retired", "evaluated", "proposed", "proposed")]
    for email, status in wishes:
        options = [n for n in noms if "submitted_by" not in n and n["status"] == status
                   and n["affected_role"] in DEMO_SUBMITTERS[email]]  # fmt: skip
        if options:
            rng.choice(options)["submitted_by"] = email
    count = Counter()
    for n in noms:
        if "submitted_by" not in n:
            pool = [email_of(name) for name, role in FRONTLINE if role == n["affected_role"]]
            n["submitted_by"] = min(pool, key=lambda e: (count[e], rng.random()))
            count[n["submitted_by"]] += 1


def end_of_support(n: dict) -> date:
    return n["retired_on"] or (n["decided_on"] if n["status"] == "rejected" else AS_OF)


def make_supporters(rng: random.Random, noms: list[dict]) -> list[tuple]:
    """Most nominations get 0-3 'me too's from colleagues (mostly in the same role), a few get 5-15."""
    people = [(email_of(name), role) for name, role in FRONTLINE]
    people += [(email, roles[0]) for email, roles in DEMO_SUBMITTERS.items()]
    rows = []
    for n in noms:
        popular = rng.random() < (0.18 if n["status"] == "retired" else 0.08)
        k = rng.randint(5, 15) if popular else rng.choice([0, 0, 0, 1, 1, 2, 3])
        candidates = [(e, r) for e, r in people if e != n["submitted_by"]]
        weight = {e: 4 if r == n["affected_role"] else 1 for e, r in candidates}
        chosen = sorted(candidates, key=lambda p: rng.random() ** (1 / weight[p[0]]), reverse=True)[:k]
        for email, _ in sorted(chosen):
            per_week = round_per_week(n["occurrences_per_week"] * rng.uniform(0.5, 1.6))
            per_week = min(per_week, MAX_WEEKLY_MINUTES // n["minutes_per_occurrence"])
            supported_on = between(rng, n["submitted_on"], end_of_support(n))
            rows.append((n["title"], email, tidy(per_week), supported_on))
    return rows


def make_comments(rng: random.Random, noms: list[dict], supporters: list[tuple]) -> list[tuple]:
    """Colleagues and board members comment; submitters thank the board or reply to a rejection."""
    backers = defaultdict(list)
    for title, email, *_ in supporters:
        backers[title].append(email)
    frontline = [email_of(name) for name, _ in FRONTLINE]
    pools = {"board": BOARD_COMMENTS, "staff": STAFF_COMMENTS, "thanks": THANKS_COMMENTS,
             "reply": REJECTED_REPLIES}  # fmt: skip
    rows = []
    for n in noms:
        minutes = n["minutes_per_occurrence"]
        took = f"{round(minutes * 60)} seconds" if minutes < 1 else f"{tidy(minutes)} min"
        times = round(n["occurrences_per_week"] * n["clinicians_affected"] * 4.3)
        facts = {"dept": n["department"], "times": times, "took": took}
        voices = backers[n["title"]] or [e for e in frontline if e != n["submitted_by"]]
        author = n["submitted_by"] if n["anonymous"] == "no" else rng.choice(voices)  # never reveal anonymity
        plan = ["board" if rng.random() < 0.3 else "staff" for _ in range(rng.choice([0, 0, 0, 0, 1, 1, 2]))]
        if n["status"] == "retired" and rng.random() < 0.45:
            plan.append("thanks")
        if n["status"] == "rejected" and rng.random() < 0.25:
            plan.append("reply")
        for kind, body in zip(plan, [rng.choice(pools[k]) for k in plan], strict=True):
            if kind == "board":
                email, day = rng.choice(BOARD), between(rng, n["submitted_on"], end_of_support(n))
            elif kind == "staff":
                email, day = rng.choice(voices), between(rng, n["submitted_on"], end_of_support(n))
            elif kind == "thanks":
                email, day = author, between(rng, n["retired_on"], AS_OF)
            else:
                email, day = author, between(rng, n["decided_on"], AS_OF)
            row = (n["title"], email, day, body.format(**facts))
            if not any(r[0] == row[0] and r[3] == row[3] for r in rows):
                rows.append(row)
    return sorted(rows, key=lambda r: (r[2], r[0]))


def ballot(rng: random.Random, voters: int, passes: bool, weights=(8, 1, 1)) -> list[str]:
    """Draw choices until the vote passes (quorum 3 of 5 and approve > reject) or fails, as asked."""
    while True:
        choices = rng.choices(["approve", "reject", "abstain"], weights=weights, k=voters)
        if (voters >= 3 and choices.count("approve") > choices.count("reject")) == passes:
            return choices


def make_votes(rng: random.Random, noms: list[dict]) -> list[tuple]:
    """Retired rows passed their vote; evaluated ones are a mix of passed, waiting for quorum and split."""
    plan = itertools.cycle(["passed", "waiting", "waiting", "passed", "split"])
    rows = []
    for n in noms:
        if n["status"] == "retired":
            choices = ballot(rng, rng.choice([3, 4, 5, 5, 5]), True)
        elif n["status"] == "evaluated":
            kind = next(plan)
            if kind == "passed":
                choices = ballot(rng, rng.choice([3, 4, 5]), True)
            elif kind == "waiting":
                choices = ballot(rng, rng.choice([0, 1, 2]), False)
            else:
                choices = ballot(rng, rng.choice([3, 4]), False, weights=(1, 1, 1))
        else:
            continue
        voters = rng.sample(BOARD, len(choices))
        rows += [(n["title"], email, choice) for email, choice in zip(voters, choices, strict=True)]
    return rows


def make_later_moves(rng: random.Random, noms: list[dict]) -> list[tuple]:
    """Mark eight proposed nominations as duplicates of an earlier one on the same burden; withdraw six."""
    proposed = [n for n in noms if n["status"] == "proposed" and n["submitted_by"] not in DEMO_SUBMITTERS]
    rng.shuffle(proposed)
    named, survivors, rows = set(), set(), []
    for n in proposed:
        siblings = [
            s for s in noms
            if s["burden"] is n["burden"] and s is not n and s["title"] not in named
            and s["status"] in ("proposed", "evaluated", "retired") and s["submitted_on"] <= n["submitted_on"]
        ]  # fmt: skip
        if len(rows) < 8 and siblings and n["title"] not in survivors:
            s = rng.choice(siblings)
            note = (f"Same {DUPLICATE_NOUN[n['category']]} as the {s['department']} nomination; "
                    "one change covers both, so its supporters move there.")  # fmt: skip
            rows.append((n["title"], "mark_duplicate", s["title"], BOARD[0], note))
            named.add(n["title"])
            survivors.add(s["title"])
    withdrawals = [n for n in proposed if n["title"] not in named | survivors][: len(WITHDRAW_NOTES)]
    rows += [(n["title"], "withdraw", None, n["submitted_by"], note)
             for n, note in zip(withdrawals, WITHDRAW_NOTES, strict=True)]  # fmt: skip
    return rows


def write_sheet(ws, headers: list[str], rows: list) -> None:
    ws.append(headers)
    for cell in ws[1]:
        cell.font = Font(bold=True)
    for row in rows:
        ws.append(list(row))
    for column in ws.columns:
        width = 10
        for cell in column:
            if isinstance(cell.value, date):
                cell.number_format = "yyyy-mm-dd"
                width = max(width, 12)
            else:
                width = max(width, len(str(cell.value or "")) + 2)
        ws.column_dimensions[column[0].column_letter].width = min(width, 60)
    ws.freeze_panes = "A2"


def main() -> None:
    rng = random.Random(2026)
    noms = make_nominations(rng)
    assign_statuses(rng, noms)
    assign_submitters(rng, noms)
    supporters = make_supporters(rng, noms)
    comments = make_comments(rng, noms, supporters)
    votes = make_votes(rng, noms)
    moves = make_later_moves(rng, noms)
    users = [(email, name, roles, "yes") for email, name, roles in SIGN_IN_USERS]
    users += [(email_of(name), CREDENTIAL[role].format(name), "staff", "no") for name, role in FRONTLINE]
    nominations = [[n[column] for column in NOMINATION_COLUMNS] for n in noms]

    wb = Workbook()
    sheets = [
        ("Nominations", NOMINATION_COLUMNS, nominations),
        ("Users", ["email", "name", "roles", "can_sign_in"], users),
        ("Supporters", ["nomination_title", "email", "occurrences_per_week", "supported_on"], supporters),
        ("Comments", ["nomination_title", "email", "commented_on", "body"], comments),
        ("Votes", ["nomination_title", "email", "choice"], votes),
        ("Later moves", ["nomination_title", "move", "duplicate_of_title", "email", "note"], moves),
    ]
    for i, (name, headers, rows) in enumerate(sheets):
        ws = wb.active if i == 0 else wb.create_sheet()
        ws.title = name
        write_sheet(ws, headers, rows)
    about = wb.create_sheet("About")
    about.append(["as_of", AS_OF])
    about.append(["note", "Dates are written as of as_of; the demo loader shifts every date by the same "
                          "number of days so that as_of becomes today."])  # fmt: skip
    about["B1"].number_format = "yyyy-mm-dd"
    about.column_dimensions["A"].width, about.column_dimensions["B"].width = 10, 100
    wb.save(OUT)
    print(f"Wrote {OUT}: {len(noms)} nominations, {len(users)} users, {len(supporters)} supporters, "
          f"{len(comments)} comments, {len(votes)} votes, {len(moves)} later moves.")  # fmt: skip


if __name__ == "__main__":
    main()
