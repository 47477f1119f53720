using SemanticManipulation.Training.World;
using static TorchSharp.torch;

namespace SemanticManipulation.Training.Data;

/// <summary>Scenes rendered on the fly from the training range of seeds (see <see cref="WorldSeeds"/>).</summary>
public sealed class SceneWorldImageSource(SceneWorld world, int resolution) : ITrainingImageSource
{
    /// <inheritdoc />
    public int Resolution { get; } = resolution;

    /// <inheritdoc />
    public string Description => $"SceneWorld {world.Describe()}, training seeds (WorldSeeds)";

    /// <inheritdoc />
    public Tensor Batch(long iteration, int count)
    {
        using var batch = world.RenderBatch(WorldSeeds.Training(iteration * count), count, Resolution);
        return batch.Images.alias();
    }
}
