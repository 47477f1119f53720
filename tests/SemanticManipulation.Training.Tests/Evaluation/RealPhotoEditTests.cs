using SemanticManipulation.Bundles;
using SemanticManipulation.Training.Evaluation;

namespace SemanticManipulation.Training.Tests.Evaluation;

/// <summary>
/// The whole pipeline on real photos: the embedded default model (or the bundle the environment variable
/// <c>SEMANTIC_MANIPULATION_REAL_PHOTO_MODEL</c> names) on the photos <c>tools/real-photos/fetch.sh</c> fetches from
/// Debian's wallpaper packages (run first when they are missing). Heavy: minutes on two cores.
/// <c>dotnet test tests/SemanticManipulation.Training.Tests -c Release --filter "FullyQualifiedName~RealPhotoEditTests"</c>.
/// <c>dotnet run tools/real-photos/evaluate.cs</c> makes the same measurements into <c>docs/real-photos.md</c>.
/// </summary>
public sealed class RealPhotoEditTests(RealPhotoEvaluation evaluation) : IClassFixture<RealPhotoEvaluation>
{
    [Fact]
    [Trait("Category", "Heavy")]
    public void Every_photo_keeps_its_unedited_pixels_at_30_dB_or_more_after_adaptation()
    {
        var report = evaluation.Report;

        Assert.NotEmpty(report.Photos);
        Assert.True(report.BelowPsnrBar.Count == 0,
            "Below 30 dB: " + string.Join(", ", report.BelowPsnrBar.Select(p => $"{p.Photo} {p.KeptPsnrDb:F2} dB")));
    }

    [Fact]
    [Trait("Category", "Heavy")]
    public void Adding_trees_raises_and_removing_trees_lowers_the_segmenters_tree_share_in_the_mask_on_every_photo()
    {
        var report = evaluation.Report;

        var wrong = report.Photos.Where(p => !(p.Add.ShareAfter > p.Add.ShareBefore) || p.Remove is { } r && !(r.ShareAfter < r.ShareBefore));
        Assert.True(!wrong.Any(), "\n" + report.ToMarkdownTable());
    }
}

/// <summary>Evaluates once for all of <see cref="RealPhotoEditTests"/>.</summary>
public sealed class RealPhotoEvaluation
{
    public RealPhotoEvaluation()
    {
        var root = RepositoryRoot();
        var photos = RealPhotoSet.LoadOrFetch(Path.Combine(root, "tools", "real-photos", "photos"), Path.Combine(root, "tools", "real-photos", "fetch.sh"));
        var model = Environment.GetEnvironmentVariable("SEMANTIC_MANIPULATION_REAL_PHOTO_MODEL");
        using var bundle = string.IsNullOrEmpty(model) ? SemanticManipulation.DefaultModel.Load() : ModelBundle.Load(model);
        Report = new RealPhotoEvaluator().Evaluate(bundle.CreateEditor(), photos.Photos.Select(p => p.Path).ToArray());
    }

    public RealPhotoEvaluationReport Report { get; }

    private static string RepositoryRoot()
    {
        var directory = new DirectoryInfo(AppContext.BaseDirectory);
        while (directory is not null && !File.Exists(Path.Combine(directory.FullName, "SemanticManipulation.sln")))
        {
            directory = directory.Parent;
        }

        return directory?.FullName ?? throw new InvalidOperationException($"No SemanticManipulation.sln above {AppContext.BaseDirectory}.");
    }
}
