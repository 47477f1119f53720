using System.Text.Json;
using SemanticManipulation.Cli;
using SemanticManipulation.Tests.DefaultModel;
using Xunit;

namespace SemanticManipulation.Tests.Cli;

/// <summary>Every edit operator with every perturbation kind and mode, end to end through the CLI on the shipped model;
/// and fit's adapted state renders again through generate.</summary>
[Collection(ConsoleRedirectingTests.Name)]
public sealed class VerbOperatorMatrixTests : IDisposable
{
    private readonly TemporaryDirectory _directory = Fixture.TempDirectory();

    public void Dispose() => _directory.Dispose();

    public static TheoryData<string, string, string> Edits()
    {
        var data = new TheoryData<string, string, string>();
        foreach (var operation in (string[])["add", "remove", "restyle"])
        {
            foreach (var kind in (string[])["network", "free"])
            {
                foreach (var mode in (string[])["Multiplicative", "Additive"])
                {
                    data.Add(operation, kind, mode);
                }
            }
        }

        return data;
    }

    [Theory]
    [MemberData(nameof(Edits))]
    public async Task Edit_runs_every_operator_with_every_perturbation(string operation, string kind, string mode)
    {
        var metrics = _directory.File("edit.json");
        string[] what = operation switch
        {
            "add" => ["--add", "tree"],
            "remove" => ["--remove", "tree"],
            _ => ["--restyle", "--reference", DefaultModelFixture.SamplePhoto("church.jpg"), "--strength", "0.5"],
        };

        var (exit, _, error) = await CapturedCli.Run([
            "edit", "--image", DefaultModelFixture.SamplePhoto("church.jpg"), "--mask", DefaultModelFixture.SamplePhoto("church-trees-mask.png"),
            .. what, "--kind", kind, "--mode", mode, "--steps", "20", "--target-psnr", "off", "--inversion-steps", "10", "--out", _directory.File("edit.png"), "--metrics", metrics]);

        Assert.True(exit == 0, error);
        using var json = JsonDocument.Parse(await File.ReadAllTextAsync(metrics));
        Assert.Equal(operation, json.RootElement.GetProperty("operation").GetString());
        Assert.Equal(20, json.RootElement.GetProperty("adaptation_steps").GetInt32());
        Assert.True(json.RootElement.GetProperty("psnr_unedited_db").GetDouble() > 15, json.RootElement.ToString());
    }

    [Theory]
    [InlineData("network", "Multiplicative")]
    [InlineData("free", "Additive")]
    public async Task Fit_saves_a_state_that_generate_renders_with_its_kind_and_mode(string kind, string mode)
    {
        var state = _directory.File("state.safetensors");
        var fit = await CapturedCli.Run([
            "fit", "--image", DefaultModelFixture.SamplePhoto("church.jpg"), "--kind", kind, "--mode", mode, "--steps", "20", "--inversion-steps", "10", "--out", state]);
        var rendered = await CapturedCli.Run(["generate", "--state", state, "--out", _directory.File("rendered.png")]);

        Assert.True(fit.Exit == 0, fit.Error);
        Assert.True(rendered.Exit == 0, rendered.Error);
        Assert.True(File.Exists(_directory.File("rendered.png")));
    }
}
