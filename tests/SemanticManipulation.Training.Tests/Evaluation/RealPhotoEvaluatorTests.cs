using SemanticManipulation.Adaptation;
using SemanticManipulation.Inversion;
using SemanticManipulation.Pipeline;
using SemanticManipulation.Tests;
using SemanticManipulation.Training.Data;
using SemanticManipulation.Training.Evaluation;
using SixLabors.ImageSharp;

namespace SemanticManipulation.Training.Tests.Evaluation;

[Collection(TinyBundleGroup.Name)]
public sealed class RealPhotoEvaluatorTests(TinyBundle model)
{
    [Fact]
    public void Every_photo_gets_an_add_on_a_grid_aligned_square_and_a_remove_only_where_the_segmenter_finds_the_concept()
    {
        using var directory = new TemporaryDirectory();
        // Photos on disk, as the real ones are: JPEG files at a size other than the model's.
        var photos = Enumerable.Range(0, 2).Select(i =>
        {
            var path = Path.Combine(directory.Path, $"photo-{i}.jpg");
            using var image = model.World.Render(WorldSeeds.HeldOut(i), 48).ToImage();
            image.SaveAsJpeg(path);
            return path;
        }).ToArray();
        var sheet = Path.Combine(directory.Path, "sheet.png");
        var options = new RealPhotoEvaluationOptions
        {
            ContactSheetPath = sheet,
            Edit = new SemanticEditOptions
            {
                Inversion = new InversionOptions { Steps = 5, MeanSamples = 8 },
                Adaptation = new AdaptationOptions { Steps = 20 },
            },
        };

        var report = new RealPhotoEvaluator().Evaluate(model.Bundle.CreateEditor(), photos, options);

        Assert.Equal(["photo-0.jpg", "photo-1.jpg"], report.Photos.Select(p => p.Photo));
        Assert.Equal("tree", report.Concept);
        foreach (var photo in report.Photos)
        {
            Assert.Equal(9.0 / 64, photo.Add.MaskFraction, 9);   // 3×3 cells of the 8×8 grid
            Assert.Equal(photo.ConceptShare >= options.RemoveMinimumShare, photo.Remove is not null);
            Assert.True(double.IsFinite(photo.Add.KeptPsnrDb) && photo.Add.KeptPsnrDb > 5, $"PSNR {photo.Add.KeptPsnrDb}");
            Assert.InRange(photo.Add.ShareBefore, 0, 1);
            Assert.InRange(photo.Add.ShareAfter, 0, 1);
            Assert.True(photo.InversionSeconds > 0 && photo.Add.AdaptationSeconds > 0);
        }

        using var written = Image.Load(sheet);
        var rows = report.Photos.Count;
        Assert.Equal(2 + (rows * (128 + 2)), written.Height);
        var table = report.ToMarkdownTable().Split('\n', StringSplitOptions.RemoveEmptyEntries);
        Assert.Equal(2 + rows, table.Length);
        Assert.StartsWith("| photo-0.jpg |", table[2], StringComparison.Ordinal);
    }

    [Fact]
    public void The_remove_edit_takes_the_concept_only_inside_the_window_that_holds_the_most_of_it()
    {
        using var directory = new TemporaryDirectory();
        var path = Path.Combine(directory.Path, "photo.jpg");
        using (var image = model.World.Render(WorldSeeds.HeldOut(0), 48).ToImage())
        {
            image.SaveAsJpeg(path);
        }

        // Sky: the concept the tiny model's segmenter surely finds, over far more of a scene than a 2×2-cell window.
        var options = new RealPhotoEvaluationOptions
        {
            Concept = "sky",
            RemoveRegionCells = 2,
            Edit = new SemanticEditOptions
            {
                Inversion = new InversionOptions { Steps = 2, MeanSamples = 8 },
                Adaptation = new AdaptationOptions { Steps = 2 },
            },
        };

        var photo = new RealPhotoEvaluator().Evaluate(model.Bundle.CreateEditor(), [path], options).Photos.Single();

        Assert.NotNull(photo.Remove);
        Assert.True(photo.ConceptShare > 0.15, $"sky covers {photo.ConceptShare:P0} of the scene");
        // A 2×2-cell window of the 8×8 grid is 8 px at 32²; grown by a pixel, at most 10².
        Assert.InRange(photo.Remove.MaskFraction, 0.03, 10.0 * 10 / (32 * 32));
    }

    [Fact]
    public void A_photo_below_the_psnr_bar_is_named_by_the_report()
    {
        var edit = new RealPhotoEditMeasurement(0.1, 0, 0.5, 35, 1);
        RealPhotoEvaluationRow Row(string name, RealPhotoEditMeasurement? remove) => new()
        {
            Photo = name, ConceptShare = 0.2, InversionPsnrDb = 20, InversionSeconds = 1, Add = edit, Remove = remove,
        };
        var report = new RealPhotoEvaluationReport
        {
            Resolution = 64,
            Concept = "tree",
            MinimumPsnrDb = 30,
            Adaptation = "network, 1000 steps at lr 0.01, schedule: the perturbation's own",
            Seconds = 3,
            Photos = [Row("good.jpg", null), Row("bad.jpg", edit with { KeptPsnrDb = 29.9 })],
        };

        Assert.Equal(["bad.jpg"], report.BelowPsnrBar.Select(p => p.Photo));
        Assert.Contains("too little to remove", report.ToMarkdownTable(), StringComparison.Ordinal);
    }
}
