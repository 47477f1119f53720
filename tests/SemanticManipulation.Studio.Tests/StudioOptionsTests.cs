using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;

namespace SemanticManipulation.Studio.Tests;

/// <summary>The studio's settings as a user gives them on the command line.</summary>
public sealed class StudioOptionsTests
{
    [Theory]
    [InlineData(null, 40.0)]
    [InlineData("35.5", 35.5)]
    [InlineData("", null)]
    public async Task Fits_stop_at_40_dB_unless_the_target_is_set_or_left_empty_to_run_every_step(string? given, double? expected)
    {
        string[] args = given is null ? ["--port", "0"] : ["--port", "0", $"--Studio:TargetKeptPsnrDb={given}"];
        await using var app = StudioApp.Build(args);

        Assert.Equal(expected, app.Services.GetRequiredService<IOptions<StudioOptions>>().Value.TargetKeptPsnrDb);
    }

    [Fact]
    public void A_target_that_is_not_a_positive_number_of_dB_is_refused_before_the_studio_starts()
    {
        var error = Assert.Throws<ArgumentOutOfRangeException>(() => StudioApp.Build(["--port", "0", "--Studio:TargetKeptPsnrDb=-3"]));

        Assert.Equal(nameof(StudioOptions.TargetKeptPsnrDb), error.ParamName);
    }
}
