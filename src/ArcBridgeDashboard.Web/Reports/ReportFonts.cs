using PdfSharp.Fonts;

namespace ArcBridgeDashboard.Web.Reports;

/// <summary>
/// PDFsharp finds no system fonts on Linux by itself: this resolver hands it DejaVu Sans (Debian's fonts-dejavu-core,
/// which the Docker image and test.sh install), so a report renders the same on every machine and covers "×", "—", "·".
/// </summary>
internal sealed class ReportFonts : IFontResolver
{
    public const string Family = "DejaVu Sans";

    private static readonly string[] Directories = ["/usr/share/fonts/truetype/dejavu", "/usr/share/fonts/dejavu", "/usr/local/share/fonts/dejavu"];
    private static readonly Lock InstallLock = new();

    public static void EnsureInstalled()
    {
        lock (InstallLock)
        {
            if (GlobalFontSettings.FontResolver is ReportFonts)
                return;
            GlobalFontSettings.FontResolver = new ReportFonts();
        }
    }

    public FontResolverInfo? ResolveTypeface(string familyName, bool bold, bool italic) =>
        new(bold ? "DejaVuSans-Bold" : "DejaVuSans");

    public byte[]? GetFont(string faceName)
    {
        foreach (var directory in Directories)
        {
            var path = Path.Combine(directory, faceName + ".ttf");
            if (File.Exists(path))
                return File.ReadAllBytes(path);
        }
        throw new InvalidOperationException(
            $"The PDF report needs the DejaVu Sans font ({faceName}.ttf) in {Directories[0]}: install the Debian package fonts-dejavu-core.");
    }
}
