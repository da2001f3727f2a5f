/**
 * ../shared/openai-spec has the eight endpoints the first actions call. Embeddings and Moderation are validated
 * against a copy extended with POST /embeddings and POST /moderations, written here from OpenAI's API reference
 * (https://platform.openai.com/docs/api-reference/embeddings/create and …/moderations/create; schema names and
 * shapes as in openai/openai-openapi: CreateEmbeddingRequest/Response, CreateModerationRequest/Response).
 * The shared file stays read-only; the copy goes to a temporary folder.
 */
import { readFileSync, writeFileSync } from 'fs';
import { join } from 'path';

import { SPEC } from './prism';
import { testTempDir } from './tempDir';

const PATHS = `  /v1/embeddings:
    post:
      operationId: createEmbedding
      tags:
        - Embeddings
      summary: Creates an embedding vector representing the input text.
      requestBody:
        required: true
        content:
          application/json:
            schema:
              $ref: '#/components/schemas/CreateEmbeddingRequest'
      responses:
        '200':
          description: OK
          content:
            application/json:
              schema:
                $ref: '#/components/schemas/CreateEmbeddingResponse'
  /v1/moderations:
    post:
      operationId: createModeration
      tags:
        - Moderations
      summary: Classifies if text and/or image inputs are potentially harmful.
      requestBody:
        required: true
        content:
          application/json:
            schema:
              $ref: '#/components/schemas/CreateModerationRequest'
      responses:
        '200':
          description: OK
          content:
            application/json:
              schema:
                $ref: '#/components/schemas/CreateModerationResponse'
`;

const CATEGORIES = [
	'hate',
	'hate/threatening',
	'harassment',
	'harassment/threatening',
	'illicit',
	'illicit/violent',
	'self-harm',
	'self-harm/intent',
	'self-harm/instructions',
	'sexual',
	'sexual/minors',
	'violence',
	'violence/graphic',
];
const categoryObject = (indent: string, type: string) =>
	`${indent}type: object\n${indent}required:\n${CATEGORIES.map((c) => `${indent}  - '${c}'`).join('\n')}\n${indent}properties:\n${CATEGORIES.map(
		(c) => `${indent}  '${c}':\n${indent}    ${type}`,
	).join('\n')}`;

const SCHEMAS = `    CreateEmbeddingRequest:
      type: object
      additionalProperties: false
      required:
        - model
        - input
      properties:
        input:
          oneOf:
            - type: string
            - type: array
              minItems: 1
              maxItems: 2048
              items:
                type: string
            - type: array
              minItems: 1
              maxItems: 2048
              items:
                type: integer
            - type: array
              minItems: 1
              maxItems: 2048
              items:
                type: array
                minItems: 1
                items:
                  type: integer
        model:
          type: string
        encoding_format:
          type: string
          enum:
            - float
            - base64
          default: float
        dimensions:
          type: integer
          minimum: 1
        user:
          type: string
    CreateEmbeddingResponse:
      type: object
      required:
        - object
        - model
        - data
        - usage
      properties:
        object:
          type: string
          enum:
            - list
        model:
          type: string
        data:
          type: array
          items:
            type: object
            required:
              - index
              - object
              - embedding
            properties:
              index:
                type: integer
              object:
                type: string
                enum:
                  - embedding
              embedding:
                type: array
                items:
                  type: number
        usage:
          type: object
          required:
            - prompt_tokens
            - total_tokens
          properties:
            prompt_tokens:
              type: integer
            total_tokens:
              type: integer
    CreateModerationRequest:
      type: object
      additionalProperties: false
      required:
        - input
      properties:
        input:
          oneOf:
            - type: string
            - type: array
              items:
                type: string
            - type: array
              items:
                oneOf:
                  - type: object
                    additionalProperties: false
                    required:
                      - type
                      - image_url
                    properties:
                      type:
                        type: string
                        enum:
                          - image_url
                      image_url:
                        type: object
                        additionalProperties: false
                        required:
                          - url
                        properties:
                          url:
                            type: string
                            format: uri
                  - type: object
                    additionalProperties: false
                    required:
                      - type
                      - text
                    properties:
                      type:
                        type: string
                        enum:
                          - text
                      text:
                        type: string
        model:
          type: string
          default: omni-moderation-latest
    CreateModerationResponse:
      type: object
      required:
        - id
        - model
        - results
      properties:
        id:
          type: string
        model:
          type: string
        results:
          type: array
          items:
            type: object
            required:
              - flagged
              - categories
              - category_scores
            properties:
              flagged:
                type: boolean
              categories:
${categoryObject('                ', 'type: boolean')}
              category_scores:
${categoryObject('                ', 'type: number')}
`;

let written: string | undefined;

/** The shared spec plus /embeddings and /moderations, as a file Prism can serve. */
export function extendedSpec(): string {
	if (written) return written;
	const base = readFileSync(SPEC, 'utf8');
	if (!base.includes('\ncomponents:\n  schemas:\n')) throw new Error(`unexpected layout of ${SPEC}: no "components: schemas:"`);
	const extended = base
		.replace('\ncomponents:\n  schemas:\n', `\n${PATHS}components:\n  schemas:\n${SCHEMAS}`);
	written = join(testTempDir('aiconnect-spec-'), 'openai.v1.extended.yaml');
	writeFileSync(written, extended);
	return written;
}
