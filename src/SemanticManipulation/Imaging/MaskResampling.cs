namespace SemanticManipulation.Imaging;

/// <summary>How a mask drawn at the photo's size is brought to the model's resolution.</summary>
public enum MaskResampling
{
    /// <summary>Each model pixel is the area-weighted mean of the mask pixels it covers: soft, alias-free edges when
    /// shrinking. Values stay in [0, 1].</summary>
    Area,

    /// <summary>Each model pixel takes the mask pixel under its centre: hard edges, values unchanged.</summary>
    Nearest,
}
