namespace ArcBridgeDashboard.Agent.Tests.Support;

/// <summary>Tiny allowlists in the Microsoft Learn format, written to a temp folder the test owns.</summary>
internal sealed class AllowlistFiles : IDisposable
{
    public string Directory { get; } = System.IO.Directory.CreateTempSubdirectory("arcbridge-check-").FullName;

    public string Write(params (string Service, string Port, string Url)[] rows)
    {
        var lines = new List<string>
        {
            "---", "ms.topic: include", "ms.date: 07/01/2025", "---", "",
            "|**Service**|**Port**|**URL**|**Direction**|**Notes**|", "|--|--|--|--|--|",
        };
        lines.AddRange(rows.Select(r => $"|{r.Service}| {r.Port} | `{r.Url}`| Appliance VM IPs need outbound connection. | test row |"));
        var path = Path.Combine(Directory, $"allowlist-{Guid.NewGuid():N}.md");
        File.WriteAllText(path, string.Join("\n", lines) + "\n");
        return path;
    }

    public void Dispose() => System.IO.Directory.Delete(Directory, recursive: true);
}
