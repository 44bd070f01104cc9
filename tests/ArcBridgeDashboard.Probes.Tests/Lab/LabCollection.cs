namespace ArcBridgeDashboard.Probes.Tests.Lab;

/// <summary>All lab tests share one lab: bringing it up costs seconds, and its daemons hold fixed addresses.</summary>
[CollectionDefinition(Name)]
public sealed class LabCollection : ICollectionFixture<LabFixture>
{
    public const string Name = "Lab";
}
