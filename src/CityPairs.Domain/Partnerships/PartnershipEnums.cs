namespace CityPairs.Domain.Partnerships;

public enum Modality
{
    /// <summary>One-to-one: twinning, sister cities.</summary>
    Pairing = 1,

    /// <summary>Several cities on one theme, such as an URBACT network or an IURC cluster.</summary>
    ClusterOrNetwork = 2,

    /// <summary>Two partners bring in a third (Barcelona and Medellin with Havana).</summary>
    Triangular = 3,
}

public enum PartnershipStatus
{
    Proposed = 1,
    Agreed = 2,
    Active = 3,
    Completed = 4,
    Discontinued = 5,
}

public enum MemberRole
{
    Lead = 1,
    Partner = 2,
    Mentor = 3,
}

public enum AgreementKind
{
    MemorandumOfUnderstanding = 1,
    Protocol = 2,
    CollaborationAgreement = 3,
}
