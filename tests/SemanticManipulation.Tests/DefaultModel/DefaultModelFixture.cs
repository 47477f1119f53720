using SemanticManipulation.Bundles;
using SemanticManipulation.Imaging;
using SemanticManipulation.Training.World;
using TorchSharp;
using static TorchSharp.torch;
using EmbeddedModel = SemanticManipulation.DefaultModel;

namespace SemanticManipulation.Tests.DefaultModel;

/// <summary>The shipped default model, loaded once for a test class, and helpers that read the scene world it was trained on.</summary>
public sealed class DefaultModelFixture : IDisposable
{
    public DefaultModelFixture() => Bundle = EmbeddedModel.Load();

    public ModelBundle Bundle { get; }

    /// <summary>The sample photo and mask the README edits (copied next to the tests).</summary>
    public static string SamplePhoto(string file) => Path.Combine(AppContext.BaseDirectory, "SamplePhotos", file);

    /// <summary>Held-out scenes at the model's resolution: images <c>[N, 3, S, S]</c> in [-1, 1] and the world's label
    /// names per pixel.</summary>
    public static (Tensor Images, string[][] LabelNames) HeldOutScenes(int count, int size)
    {
        var world = new SceneWorld();
        var images = new List<Tensor>();
        var names = new string[count][];
        for (var i = 0; i < count; i++)
        {
            var scene = world.Render(Training.Data.WorldSeeds.HeldOut(1000 + i), size);
            using var image = scene.ToImage();
            images.Add(ImageTensor.FromImage(image));
            names[i] = scene.Labels.ToArray().Select(label => SceneLabels.Names[label]).ToArray();
        }

        return (cat(images, 0), names);
    }

    public void Dispose() => Bundle.Dispose();
}
