using TorchSharp;

namespace SemanticManipulation.Training.World;

/// <summary>
/// Consecutive scenes as training tensors: <see cref="Images"/> float32 [N, 3, S, S] in [-1, 1] and
/// <see cref="Labels"/> int64 [N, S, S]. Disposing it disposes both tensors.
/// </summary>
/// <param name="FirstSeed">The seed of the first scene; scene i has seed <c>FirstSeed + i</c>.</param>
/// <param name="Count">N, the number of scenes.</param>
/// <param name="Size">S, the side of each image in pixels.</param>
/// <param name="Images">Colours, each byte v mapped to v / 255 · 2 - 1.</param>
/// <param name="Labels">One <see cref="SceneLabel"/> value per pixel.</param>
public sealed record SceneBatch(long FirstSeed, int Count, int Size, torch.Tensor Images, torch.Tensor Labels) : IDisposable
{
    /// <summary>Disposes <see cref="Images"/> and <see cref="Labels"/>.</summary>
    public void Dispose()
    {
        Images.Dispose();
        Labels.Dispose();
    }
}
