using static TorchSharp.torch;

namespace SemanticManipulation.Inversion;

/// <summary>What refinement produced: r*, G_F(r*), and how it went. The tensors belong to the caller's dispose scope.</summary>
internal sealed record RefinementOutcome(Tensor Representation, Tensor Reconstruction, int Steps, double InitialPsnrDb, bool StoppedEarly);
