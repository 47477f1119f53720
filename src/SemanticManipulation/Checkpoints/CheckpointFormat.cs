namespace SemanticManipulation.Checkpoints;

/// <summary>The container format a checkpoint was read from (detected from the content, never the extension).</summary>
internal enum CheckpointFormat
{
    /// <summary>PyTorch's zip format, the default of <c>torch.save</c> since 1.6.</summary>
    PyTorchZip,

    /// <summary>PyTorch's pre-1.6 format: pickles back to back followed by raw storages.</summary>
    PyTorchLegacy,

    /// <summary>Hugging Face safetensors: a JSON header followed by one data buffer.</summary>
    SafeTensors,
}
