using ArcBridgeDashboard.Probes.Contracts;
using ArcBridgeDashboard.Web.Components.Shared;

using ArcBridgeDashboard.Web.Monitoring.Status;

namespace ArcBridgeDashboard.Web.Tests.Components;

/// <summary>A small overview: two services, two sources, one failing cell.</summary>
internal static class SampleRows
{
    public const string Mm = nameof(Probes.Contracts.Sources.ManagementMachine);
    public const string Vm = nameof(Probes.Contracts.Sources.ApplianceVm);

    public static IReadOnlyList<string> Sources { get; } = [Mm, Vm];

    public static IReadOnlyList<MatrixRow> Matrix { get; } =
    [
        Row("mcr.microsoft.com:443/tcp", "Microsoft container registry", "mcr.microsoft.com",
            (Mm, new StatusCell(DisplayStatus.Pass)), (Vm, new StatusCell(DisplayStatus.Pass))),
        Row("login.microsoftonline.com:443/tcp", "Azure Active Directory", "login.microsoftonline.com",
            (Mm, new StatusCell(DisplayStatus.Pass)),
            (Vm, new StatusCell(DisplayStatus.Fail, Phase.Tls, ReasonCode.TlsInspected, "Chain ends in Contoso Inspection CA"))),
        Row("management.azure.com:443/tcp", "Azure Resource Manager", "management.azure.com",
            (Mm, new StatusCell(DisplayStatus.Stale))),
        Row("graph.microsoft.com:443/tcp", "Azure Active Directory", "graph.microsoft.com",
            (Mm, new StatusCell(DisplayStatus.Pass)), (Vm, new StatusCell(DisplayStatus.Pass))),
    ];

    private static MatrixRow Row(string key, string service, string host, params (string Source, StatusCell Cell)[] cells) =>
        new(key, service, host, 443, TransportProtocol.Tcp, cells.ToDictionary(c => c.Source, c => c.Cell));
}
