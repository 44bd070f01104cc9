using MudBlazor;

namespace ArcBridgeDashboard.Web.Components.Layout;

/// <summary>
/// The palette every page uses. MudBlazor's defaults put white text on a bright green (2.2:1) and orange (2.2:1) and
/// colour text with them on white; status colours are the first thing an operator reads, so every text colour here
/// reaches WCAG AA (4.5:1) on the page, the cards, the grey group rows and the faint tint of an alert.
/// Light: the status colours are dark enough to carry white text and to be read on white.
/// Dark: they are light enough to be read on the dark surfaces and carry near-black text when filled.
/// ContrastTests (EndToEnd) measures every page in both themes.
/// </summary>
public static class DashboardTheme
{
    private const string NearBlack = "#1e1e24";

    public static MudTheme Instance { get; } = new()
    {
        PaletteLight = new PaletteLight
        {
            Secondary = "#c2185b",
            Info = "#1565c0",
            Success = "#2e7d32",
            Warning = "#a84d00",
            Error = "#c62828",
            // 0.54 (MudBlazor's) is 4.2:1 on the grey group rows of the matrix.
            TextSecondary = "rgba(0,0,0,0.62)",
        },
        PaletteDark = new PaletteDark
        {
            Primary = "#b3a9f4",
            PrimaryContrastText = NearBlack,
            Secondary = "#f48fb1",
            SecondaryContrastText = NearBlack,
            Info = "#7cc0ff",
            InfoContrastText = NearBlack,
            Success = "#3ddc97",
            SuccessContrastText = NearBlack,
            Warning = "#ffb74d",
            WarningContrastText = NearBlack,
            Error = "#ff8a95",
            ErrorContrastText = NearBlack,
            // Alerts write their text in the "darken" shade on a tint of the same colour: on a dark surface a
            // darker shade loses contrast, so it stays the (light) colour itself.
            PrimaryDarken = "#b3a9f4",
            InfoDarken = "#7cc0ff",
            SuccessDarken = "#3ddc97",
            WarningDarken = "#ffb74d",
            ErrorDarken = "#ff8a95",
            TextPrimary = "rgba(255,255,255,0.82)",
            TextSecondary = "rgba(255,255,255,0.64)",
            DrawerText = "rgba(255,255,255,0.72)",
            DrawerIcon = "rgba(255,255,255,0.72)",
            AppbarText = "rgba(255,255,255,0.82)",
        },
    };
}
