using SemanticManipulation.Training.World;
using SixLabors.ImageSharp;
using SixLabors.ImageSharp.PixelFormats;
using Xunit;

namespace SemanticManipulation.Tests.DefaultModel;

/// <summary>
/// <c>samples/photos/</c> is what <c>tools/sample-photos/make-sample-photos.cs</c> makes from the scene world: a
/// held-out scene (never trained on) and a mask derived from its labels. Re-make the files with that script when the
/// world or the recipe changes.
/// </summary>
public sealed class SamplePhotoTests
{
    [Fact]
    public void The_shipped_photo_and_mask_are_what_the_recipe_makes()
    {
        using var expected = SamplePhotos.RenderShipped();
        using var photo = Image.Load<Rgb24>(DefaultModelFixture.SamplePhoto("church.jpg"));
        using var mask = Image.Load<L8>(DefaultModelFixture.SamplePhoto("church-trees-mask.png"));

        Assert.Equal((SamplePhotos.ShippedWidth, SamplePhotos.ShippedHeight), (photo.Width, photo.Height));
        Assert.Equal((expected.Photo.Width, expected.Photo.Height), (photo.Width, photo.Height));
        Assert.Equal((expected.TreeMask.Width, expected.TreeMask.Height), (mask.Width, mask.Height));

        // The mask is stored losslessly: exact. The photo is a JPEG: close to the render (its error is a level or two).
        long photoError = 0;
        var maskDifferences = 0;
        for (var y = 0; y < photo.Height; y++)
        {
            for (var x = 0; x < photo.Width; x++)
            {
                var (a, e) = (photo[x, y], expected.Photo[x, y]);
                photoError += Math.Abs(a.R - e.R) + Math.Abs(a.G - e.G) + Math.Abs(a.B - e.B);
                maskDifferences += mask[x, y].PackedValue == expected.TreeMask[x, y].PackedValue ? 0 : 1;
            }
        }

        Assert.Equal(0, maskDifferences);
        var meanError = photoError / (3.0 * photo.Width * photo.Height);
        Assert.True(meanError < 4, $"mean difference {meanError:F2} levels");
    }

    [Fact]
    public void The_mask_covers_open_land_and_sky_beside_the_building_and_nothing_else()
    {
        using var sample = SamplePhotos.RenderShipped();
        var world = new SceneWorld();
        var size = Math.Max(SamplePhotos.ShippedWidth, SamplePhotos.ShippedHeight);
        var scene = world.Render(sample.Seed, size);
        var (left, top) = ((size - SamplePhotos.ShippedWidth) / 2, (size - SamplePhotos.ShippedHeight) / 2);

        var painted = new Dictionary<SceneLabel, int>();
        for (var y = 0; y < SamplePhotos.ShippedHeight; y++)
        {
            for (var x = 0; x < SamplePhotos.ShippedWidth; x++)
            {
                if (sample.TreeMask[x, y].PackedValue == 0)
                {
                    var label = scene.LabelAt(x + left, y + top);
                    painted[label] = painted.GetValueOrDefault(label) + 1;
                }
            }
        }

        Assert.InRange(sample.MaskFraction, 0.05, 0.5);
        Assert.All(painted.Keys, label => Assert.Contains(label, new[] { SceneLabel.Sky, SceneLabel.Cloud, SceneLabel.Hill, SceneLabel.Grass, SceneLabel.Tree }));
        Assert.True(painted.GetValueOrDefault(SceneLabel.Grass) > 0, "the trees would not stand on the ground");
        Assert.True(painted.GetValueOrDefault(SceneLabel.Sky) + painted.GetValueOrDefault(SceneLabel.Cloud) > 0, "the trees would have no room to grow");
    }

    [Fact]
    public void A_scene_without_a_building_is_refused_with_the_reason()
    {
        var world = new SceneWorld();
        byte[] building = [(byte)SceneLabel.Brick, (byte)SceneLabel.Stone, (byte)SceneLabel.Roof, (byte)SceneLabel.Dome, (byte)SceneLabel.Door, (byte)SceneLabel.Window];
        var noBuilding = Enumerable.Range(0, 200).Select(i => Training.Data.WorldSeeds.HeldOut(i))
            .First(seed => !world.Render(seed, 64).Labels.ToArray().Any(building.Contains));

        var error = Assert.Throws<InvalidOperationException>(() => SamplePhotos.Render(world, noBuilding, 64, 64));

        Assert.Contains($"Scene {noBuilding}", error.Message, StringComparison.Ordinal);
    }
}
