namespace SemanticManipulation.Inversion;

/// <summary>The authors' three stages of encoder training, all on generator samples (no photos).</summary>
public enum EncoderTrainingStage
{
    /// <summary>Stage 1: the trunk alone, predicting r from G(z) with MSE (Adam 0.01).</summary>
    Trunk = 1,

    /// <summary>Stage 2: each inverter alone, from a layer's true output to its input, with a cosine loss over
    /// channels (Adam 1e-4).</summary>
    Inverters = 2,

    /// <summary>Stage 3: everything jointly, with cosine losses on r and z and pixel MSE on G(ẑ) (Adam 1e-5).</summary>
    Joint = 3,
}
