namespace SemanticManipulation.Checkpoints;

/// <summary>
/// A tensor as <c>torch._utils._rebuild_tensor_v2</c> describes it: a strided view into a storage. Nothing native
/// is created while unpickling; <see cref="TensorBuilder"/> validates the view before building it.
/// </summary>
/// <param name="Storage">The storage the view reads.</param>
/// <param name="Offset">The first element, counted in elements from the storage start.</param>
/// <param name="Size">The shape.</param>
/// <param name="Stride">Element strides per dimension (PyTorch writes non-contiguous tensors as they are).</param>
internal sealed record TensorReference(StorageReference Storage, long Offset, long[] Size, long[] Stride);
