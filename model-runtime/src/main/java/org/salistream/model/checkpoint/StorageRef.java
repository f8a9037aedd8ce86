package org.salistream.model.checkpoint;

/**
 * A storage named by a {@code torch.save} persistent id, {@code ('storage', torch.FloatStorage, key,
 * location, numel)} (see {@code torch.serialization._save}'s {@code persistent_id}): its bytes live in the
 * zip entry {@code <archive>/data/<key>}. Two tensors that share a storage carry the same key.
 *
 * @param key the entry name under {@code data/}
 * @param dtype the element type of the typed storage ({@link TorchDtype#UINT8} for an untyped one)
 * @param numel the number of elements of the storage (bytes for an untyped one)
 * @param location the device it was saved from, e.g. {@code cpu} or {@code cuda:0}; ignored, as
 *     {@code map_location='cpu'} would
 */
record StorageRef(String key, TorchDtype dtype, long numel, String location) {}
