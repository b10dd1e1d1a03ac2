//! Closed vocabularies of the model, each with the stable text used in files and JSON.

use crate::vocab::text_enum;

text_enum!(
    /// Something an interviewee does on the side to make the workflow work.
    Workaround {
        ShadowSpreadsheet => "shadow_spreadsheet",
        DoubleDocumentation => "double_documentation",
        ManualReentry => "manual_reentry",
        VerbalHandoff => "verbal_handoff",
        Other => "other",
    }
);

text_enum!(
    /// What a claim says a role does with a step.
    ClaimKind { Performs => "performs", Validates => "validates" }
);

text_enum!(
    /// The shape of a step in the current-state map.
    StepKind { Start => "start", Task => "task", Decision => "decision", End => "end" }
);

text_enum!(
    /// Where a proposed state sits in its workflow.
    StateKind { Initial => "initial", Intermediate => "intermediate", Terminal => "terminal" }
);

text_enum!(
    /// A clinical lead's decision on a published version.
    Decision { Approved => "approved", ChangesRequested => "changes_requested" }
);

text_enum!(
    /// The type of an event field that guards compare.
    FieldKind { Number => "number", String => "string", Boolean => "boolean" }
);

text_enum!(
    /// What a review comment is pinned to.
    CommentTarget { Step => "step", Handoff => "handoff", State => "state", Transition => "transition" }
);

text_enum!(
    /// How much a finding matters.
    Severity { High => "high", Medium => "medium", Low => "low" }
);

text_enum!(
    /// What the consultant decided about a finding.
    FindingStatus { Open => "open", Accepted => "accepted", Dismissed => "dismissed" }
);

text_enum!(
    /// What an import brought in.
    ImportKind { Status => "status", Log => "log" }
);

text_enum!(
    /// The stable kinds of finding.
    FindingKind {
        OwnershipDrift => "ownership_drift",
        UnconfirmedOwner => "unconfirmed_owner",
        ContestedOwnership => "contested_ownership",
        OrphanStep => "orphan_step",
        UnacknowledgedHandoff => "unacknowledged_handoff",
        FacilityDivergence => "facility_divergence",
        DefinitionDivergence => "definition_divergence",
        WorkaroundHotspot => "workaround_hotspot",
        AmbiguousStatus => "ambiguous_status",
        InvisibleState => "invisible_state",
        UnusedValue => "unused_value",
        UnmappedValue => "unmapped_value",
        RedundantValues => "redundant_values",
        UndocumentedTransition => "undocumented_transition",
        UnobservedTransition => "unobserved_transition",
        Stall => "stall",
        RoleMismatch => "role_mismatch",
    }
);

impl FindingKind {
    /// The kind as a person reads it, in lists, filters and exports.
    pub fn label(self) -> &'static str {
        match self {
            FindingKind::OwnershipDrift => "Ownership drift",
            FindingKind::UnconfirmedOwner => "Unconfirmed owner",
            FindingKind::ContestedOwnership => "Contested ownership",
            FindingKind::OrphanStep => "Orphan step",
            FindingKind::UnacknowledgedHandoff => "Unacknowledged handoff",
            FindingKind::FacilityDivergence => "Facility divergence",
            FindingKind::DefinitionDivergence => "“Done” differs within a facility",
            FindingKind::WorkaroundHotspot => "Workaround hotspot",
            FindingKind::AmbiguousStatus => "Ambiguous status",
            FindingKind::InvisibleState => "Invisible state",
            FindingKind::UnusedValue => "Unused value",
            FindingKind::UnmappedValue => "Unmapped value",
            FindingKind::RedundantValues => "Redundant values",
            FindingKind::UndocumentedTransition => "Undocumented transition",
            FindingKind::UnobservedTransition => "Unobserved transition",
            FindingKind::Stall => "Stall",
            FindingKind::RoleMismatch => "Role mismatch",
        }
    }
}

text_enum!(
    /// Where a finding's piece of evidence comes from.
    EvidenceSource {
        Interview => "interview",
        StatusExport => "status_export",
        EventLog => "event_log",
        Telemetry => "telemetry",
        Mapping => "mapping",
    }
);
