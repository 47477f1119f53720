using SemanticManipulation.Editing;
using SemanticManipulation.Tests.Cli;
using Xunit;

namespace SemanticManipulation.Tests.Editing;

/// <summary>The <c>concepts</c> verb, run in-process.</summary>
[Collection(ConsoleRedirectingTests.Name)]
public sealed class ConceptsCommandTests
{
    [Fact]
    public async Task Concepts_lists_the_catalogs_concepts_with_their_top_units_and_exports_our_schema()
    {
        using var directory = Fixture.TempDirectory();
        var export = directory.File("church.concepts.json");

        var (exit, output, _) = await Run(["concepts", "--catalog", EditingFixtures.ChurchCatalog, "--top", "4", "--export", export]);

        Assert.Equal(0, exit);
        Assert.Contains("31 concepts, 512 units of layer4", output, StringComparison.Ordinal);
        Assert.Contains("squash units (never edited): 418", output, StringComparison.Ordinal);
        Assert.Matches(@"(?m)^tree\s+ace\s+119:1 125:1 157:1 195:1\s*$", output);
        Assert.Matches(@"(?m)^sky\s+iou\s+257:0\.522 302:0\.508 375:0\.494 181:0\.455\s*$", output);
        Assert.Equal(31, ConceptCatalog.Load(export).Concepts.Count);
    }

    [Fact]
    public async Task Concepts_finds_the_catalog_beside_the_model_and_checks_that_it_fits()
    {
        using var directory = Fixture.TempDirectory();
        var model = directory.File("progan32.safetensors");
        File.Copy(Fixture.ProGan("progan32.safetensors"), model);
        File.Copy(EditingFixtures.ChurchCatalog, directory.File("progan32.concepts.json"));

        var (exit, _, error) = await Run(["concepts", "--model", model]);

        Assert.Equal(1, exit);
        Assert.Contains("512 units of layer4", error, StringComparison.Ordinal);
        Assert.Contains("32 units", error, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Concepts_names_an_unknown_concept_and_a_missing_catalog()
    {
        var (unknownExit, _, unknown) = await Run(["concepts", "-c", EditingFixtures.ChurchCatalog, "--concept", "tre"]);
        var (missingExit, _, missing) = await Run(["concepts", "-m", Fixture.ProGan("progan32.safetensors")]);

        Assert.Equal(1, unknownExit);
        Assert.Contains("Did you mean 'tree'?", unknown, StringComparison.Ordinal);
        Assert.Equal(1, missingExit);
        Assert.Contains("progan32.concepts.json", missing, StringComparison.Ordinal);
    }

    [Fact]
    public async Task An_export_path_that_cannot_be_written_is_refused_before_the_catalog_is_read_and_nothing_is_listed()
    {
        using var directory = Fixture.TempDirectory();
        using var inputs = Fixture.TempDirectory();
        var broken = inputs.File("broken.concepts.json");
        await File.WriteAllTextAsync(broken, "{ not json");   // reading it first would report this instead

        var (folderExit, folderOutput, folderError) = await Run(["concepts", "--catalog", broken, "--export", directory.Path]);
        var (procExit, procOutput, procError) = await Run(["concepts", "--catalog", EditingFixtures.ChurchCatalog, "--export", "/proc/church.json"]);

        Assert.Equal((1, ""), (folderExit, folderOutput));
        Assert.Contains("--export " + directory.Path + " is a folder", Assert.Single(folderError.Split('\n', StringSplitOptions.RemoveEmptyEntries)), StringComparison.Ordinal);
        Assert.Equal((1, ""), (procExit, procOutput));
        Assert.Equal("error: Cannot write --export /proc/church.json: no file can be created in /proc.", procError.Trim());
        Assert.Empty(Directory.EnumerateFileSystemEntries(directory.Path));
    }

    private static Task<(int Exit, string Output, string Error)> Run(string[] args) => CapturedCli.Run(args);
}
