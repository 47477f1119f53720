namespace SemanticManipulation.FeatureLosses;

/// <summary>Which ResNet stage's output serves as the features φ.</summary>
public enum ResNetFeatureLayer
{
    /// <summary>Stage 1: stride 4, 64 channels (edges, colours).</summary>
    Layer1 = 1,

    /// <summary>Stage 2: stride 8, 128 channels, nine convs deep: the counterpart of VGG16's relu4_2, which the authors used.</summary>
    Layer2 = 2,

    /// <summary>Stage 3: stride 16, 256 channels (parts, textures).</summary>
    Layer3 = 3,

    /// <summary>Stage 4: stride 32, 512 channels (objects).</summary>
    Layer4 = 4,
}
