namespace SemanticManipulation.Checkpoints;

/// <summary>
/// A storage named by a pickle's persistent id. The bytes live outside the pickle (a zip entry, or the raw section
/// after a legacy file's pickles) and are loaded only once the whole pickle has been read.
/// </summary>
/// <param name="Key">The storage's key: the zip entry name under <c>data/</c>, or the legacy root key.</param>
/// <param name="ElementType">The element type its typed-storage class declares.</param>
/// <param name="DeclaredNumel">The element count the pickle declares for the (root) storage.</param>
/// <param name="ViewOffset">For legacy storage views, the first element of the view within the root storage; else 0.</param>
/// <param name="ViewNumel">For legacy storage views, the view's element count; null for a whole storage.</param>
internal sealed record StorageReference(string Key, TensorElementType ElementType, long DeclaredNumel, long ViewOffset = 0, long? ViewNumel = null);
