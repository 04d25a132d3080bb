/**
 * Turns a request body into a JSON value according to its Content-Type: JSON, YAML, or the Kubernetes
 * protobuf envelope kubectl's typed clients send.
 */
import { parse as parseYaml } from 'yaml';
import { decodeKubernetesProtobuf } from '../../api/protobuf/decode.js';
import { badRequest, unsupportedMediaType } from '../http/api-error.js';

export const PROTOBUF = 'application/vnd.kubernetes.protobuf';

export function parseBody(body: Buffer, contentType: string): unknown {
  switch (contentType) {
    case '':
    case 'application/json':
    case 'application/json-patch+json':
    case 'application/merge-patch+json':
    case 'application/strategic-merge-patch+json':
      return parseJson(body);
    case 'application/yaml':
    case 'application/apply-patch+yaml':
      try {
        return parseYaml(body.toString('utf8'));
      } catch (err) {
        throw badRequest(`error converting YAML to JSON: ${err instanceof Error ? err.message : String(err)}`);
      }
    case PROTOBUF:
      try {
        return decodeKubernetesProtobuf(body).object;
      } catch (err) {
        throw badRequest(`the body of the request could not be decoded: ${err instanceof Error ? err.message : String(err)}`);
      }
    default:
      throw unsupportedMediaType(contentType);
  }
}

function parseJson(body: Buffer): unknown {
  const text = body.toString('utf8');
  if (text.trim() === '') throw badRequest('the body of the request was empty');
  try {
    return JSON.parse(text);
  } catch (err) {
    const why = err instanceof Error ? err.message : String(err);
    throw badRequest(`couldn't get version/kind; json parse error: ${why}`);
  }
}
