using static TorchSharp.torch;

namespace SemanticManipulation;

/// <summary>
/// Observes or replaces a layer's output during a forward pass (the idea of the authors' <c>netdissect</c> hooks).
/// Return <paramref name="output"/> unchanged to observe only. Tensors created inside a hook belong to the forward
/// pass's dispose scope and are freed when it ends: call <c>DetachFromDisposeScope()</c> on any you keep.
/// </summary>
/// <param name="layerName">The layer that produced the output, e.g. <c>layer8</c>.</param>
/// <param name="output">The layer's output.</param>
/// <returns>The tensor that continues through the network.</returns>
public delegate Tensor LayerHook(string layerName, Tensor output);
