export { AssetFiles, memoryAsset, type Asset, type AssetSource } from './catalog.js';
export { chooseEncoding, type Encoding } from './negotiate.js';
export { COMPRESSIBLE, compress, compressedDir, precompressDir, sameTime } from './precompress.js';
export { IMMUTABLE, sendAsset, type SendAssetOptions } from './send.js';
