using ArcBridgeDashboard.Probes.Contracts;
using ArcBridgeDashboard.Web.Configuration;

namespace ArcBridgeDashboard.Web.Tests.Integration;

/// <summary>The Cloud and private cloud address settings: validated, mapped to the probe engine, and re-expanding targets.</summary>
public sealed class SettingsCloudTests
{
    [Theory]
    [InlineData("vcenter.corp.example")]
    [InlineData("VCENTER01")]
    [InlineData("10.0.0.10")]
    [InlineData("fd00::10")]
    public void Validate_PrivateCloudHostOrIp_Passes(string address)
        => Assert.Empty(DashboardSettingsValidator.Validate(new DashboardSettings { PrivateCloudAddress = address }));

    [Theory]
    [InlineData("https://vcenter.corp")]
    [InlineData("vcenter.corp:443")]
    [InlineData("10.0.5")]
    [InlineData("v center")]
    [InlineData("-vcenter.corp")]
    public void Validate_PrivateCloudNotHostOrIp_NamesTheField(string address)
    {
        var error = Assert.Single(DashboardSettingsValidator.Validate(new DashboardSettings { PrivateCloudAddress = address }));
        Assert.Equal(nameof(DashboardSettings.PrivateCloudAddress), error.Field);
        Assert.Contains($"'{address}'", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Validate_UndefinedCloud_NamesTheField()
    {
        var error = Assert.Single(DashboardSettingsValidator.Validate(new DashboardSettings { Cloud = (Cloud)7 }));
        Assert.Equal(nameof(DashboardSettings.Cloud), error.Field);
        Assert.Contains("Azure Cloud or Azure Government", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void ChangesTargets_CloudOrPrivateCloudAddress_IsATargetChange()
    {
        var before = new DashboardSettings();

        Assert.True(before.ChangesTargets(before with { Cloud = Cloud.AzureGovernment }));
        Assert.True(before.ChangesTargets(before with { PrivateCloudAddress = "vcenter.corp" }));
        Assert.False(before.ChangesTargets(before with { TrustedRootsPem = "" }));
    }

    [Fact]
    public void ToProbeSettings_CloudAndPrivateCloudAddress_AreMapped()
    {
        var settings = ProbeSettingsMapper.ToProbeSettings(
            new DashboardSettings { Cloud = Cloud.AzureGovernment, PrivateCloudAddress = " vcenter.corp " }, null, 4);

        Assert.Equal(Cloud.AzureGovernment, settings.Cloud);
        Assert.Equal("vcenter.corp", settings.PrivateCloudAddress);
        Assert.Null(ProbeSettingsMapper.ToProbeSettings(new DashboardSettings(), null, 4).PrivateCloudAddress);
    }
}
