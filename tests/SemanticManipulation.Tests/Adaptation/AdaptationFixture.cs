using SemanticManipulation.Imaging;
using SemanticManipulation.Checkpoints;
using SemanticManipulation.Generators;
using TorchSharp;
using static TorchSharp.torch;

namespace SemanticManipulation.Tests.Adaptation;

/// <summary>
/// A small adaptation problem: the PyTorch-made 32² generator, the representation of one of its latents, and a photo
/// it cannot reproduce: the image of the same latent by another generator, a sibling whose late layers' weights differ
/// by 25% noise (as a real photo differs from what a GAN can render, in detail rather than in layout).
/// </summary>
internal sealed class AdaptationFixture : IDisposable
{
    public AdaptationFixture()
    {
        Generator = ProGanGenerator.Load(Fixture.ProGan("progan32_zip.pth"));
        using var sibling = ProGanGenerator.Load(Fixture.ProGan("progan32_zip.pth"));
        using var scope = NewDisposeScope();
        using var noGrad = no_grad();
        var noise = new TorchSharp.torch.Generator(0, CPU).manual_seed(77);
        foreach (var parameter in sibling.LateParameters())
        {
            parameter.add_(randn(parameter.shape, generator: noise) * parameter.std() * 0.25);
        }

        var z = NpyFile.Read(Fixture.ProGan("latents.npy"))[..1];
        Representation = Generator.Early(z).DetachFromDisposeScope();
        Photo = sibling.Generate(z).clamp(-1, 1).DetachFromDisposeScope();
        ModelPhoto = ModelPhoto.From(Photo, 32);
    }

    public ProGanGenerator Generator { get; }

    public Tensor Representation { get; }

    public Tensor Photo { get; }

    /// <summary><see cref="Photo"/> as fitting takes it.</summary>
    public ModelPhoto ModelPhoto { get; }

    /// <summary>A square edit mask covering [8, 20) × [10, 22) of the 32² image.</summary>
    public static Tensor SquareMask()
    {
        var mask = zeros(1, 1, 32, 32);
        mask[TensorIndex.Colon, TensorIndex.Colon, TensorIndex.Slice(8, 20), TensorIndex.Slice(10, 22)] = 1;
        return mask;
    }

    /// <summary>An edit of r inside the mask's 8×8 cells: some units switched on strongly (what "add concept" does).</summary>
    public Tensor EditedRepresentation(Tensor mask)
    {
        using var scope = NewDisposeScope();
        var cells = nn.functional.adaptive_max_pool2d(mask, [8, 8]);
        var value = zeros(1, 32, 1, 1);
        value[0, TensorIndex.Slice(0, 6)] = 3.0f;
        return ((Representation * (1 - cells)) + (value * cells)).MoveToOuterDisposeScope();
    }

    public void Dispose()
    {
        Representation.Dispose();
        Photo.Dispose();
        ModelPhoto.Dispose();
        Generator.Dispose();
    }
}
