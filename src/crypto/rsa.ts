// RSA primitives for KMS keys: RSASSA-PSS (salt = digest length) and RSASSA-PKCS1-v1_5 signatures over a
// message or a caller's digest, and RSAES-OAEP encryption (MGF1 with the OAEP hash). Never logs keys.
import {
  constants,
  createHash,
  privateDecrypt,
  privateEncrypt,
  publicDecrypt,
  publicEncrypt,
  sign,
  timingSafeEqual,
  verify,
  type KeyObject,
} from 'node:crypto';
import { oaepHash, type HashName, type MessageType } from './algorithms.js';
import { pssEncode, pssVerify } from './rsa-pss.js';

// DigestInfo prefixes for EMSA-PKCS1-v1_5 (RFC 8017 §9.2, note 1).
const DIGEST_INFO: Readonly<Record<string, string>> = {
  sha256: '3031300d060960864801650304020105000420',
  sha384: '3041300d060960864801650304020205000430',
  sha512: '3051300d060960864801650304020305000440',
};

export interface RsaSignRequest {
  readonly hash: HashName;
  readonly pss: boolean;
  readonly message: Buffer;
  readonly messageType: MessageType;
}

function modulusBits(key: KeyObject): number {
  const bits = key.asymmetricKeyDetails?.modulusLength;
  if (bits === undefined) throw new Error('not an RSA key');
  return bits;
}

function pssOptions(key: KeyObject) {
  return {
    key,
    padding: constants.RSA_PKCS1_PSS_PADDING,
    saltLength: constants.RSA_PSS_SALTLEN_DIGEST,
  };
}

function digestOf(req: RsaSignRequest): Buffer {
  return req.messageType === 'DIGEST'
    ? req.message
    : createHash(req.hash).update(req.message).digest();
}

export function rsaSign(privateKey: KeyObject, req: RsaSignRequest): Buffer {
  if (req.messageType === 'RAW') {
    const options = req.pss ? pssOptions(privateKey) : { key: privateKey };
    return sign(req.hash, req.message, options);
  }
  if (req.pss) {
    // DIGEST: encode EMSA-PSS ourselves and apply the raw RSA private-key operation.
    const em = pssEncode(req.hash, digestOf(req), modulusBits(privateKey));
    return privateDecrypt({ key: privateKey, padding: constants.RSA_NO_PADDING }, em);
  }
  const digestInfo = Buffer.concat([Buffer.from(DIGEST_INFO[req.hash] ?? '', 'hex'), req.message]);
  return privateEncrypt({ key: privateKey, padding: constants.RSA_PKCS1_PADDING }, digestInfo);
}

export function rsaVerify(publicKey: KeyObject, req: RsaSignRequest, signature: Buffer): boolean {
  const k = Math.ceil(modulusBits(publicKey) / 8);
  if (signature.length !== k) return false;
  try {
    if (req.messageType === 'RAW') {
      const options = req.pss ? pssOptions(publicKey) : { key: publicKey };
      return verify(req.hash, req.message, options, signature);
    }
    if (req.pss) {
      const em = publicDecrypt({ key: publicKey, padding: constants.RSA_NO_PADDING }, signature);
      return pssVerify(req.hash, digestOf(req), em, modulusBits(publicKey));
    }
    const expected = Buffer.concat([Buffer.from(DIGEST_INFO[req.hash] ?? '', 'hex'), req.message]);
    const recovered = publicDecrypt(
      { key: publicKey, padding: constants.RSA_PKCS1_PADDING },
      signature,
    );
    return recovered.length === expected.length && timingSafeEqual(recovered, expected);
  } catch {
    return false;
  }
}

export function rsaEncrypt(publicKey: KeyObject, algorithm: string, plaintext: Buffer): Buffer {
  return publicEncrypt(
    { key: publicKey, padding: constants.RSA_PKCS1_OAEP_PADDING, oaepHash: oaepHash(algorithm) },
    plaintext,
  );
}

/** Throws a plain Error when the ciphertext does not decrypt; callers map it to InvalidCiphertextException. */
export function rsaDecrypt(privateKey: KeyObject, algorithm: string, ciphertext: Buffer): Buffer {
  return privateDecrypt(
    { key: privateKey, padding: constants.RSA_PKCS1_OAEP_PADDING, oaepHash: oaepHash(algorithm) },
    ciphertext,
  );
}

export function rsaModulusBits(key: KeyObject): number {
  return modulusBits(key);
}
