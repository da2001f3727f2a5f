import type { INodeProperties } from 'n8n-workflow';
import { updateDisplayOptions } from 'n8n-workflow';

import { jsonExpression, modelField, optionsCollection, simplifyField } from '../shared.description';
import { chatOptions } from './completeOptions.description';

/** Chat → Complete's parameters; its Options collection is in completeOptions.description.ts. */

const messageList: INodeProperties = {
	displayName: 'Prompt',
	name: 'prompt',
	type: 'fixedCollection',
	typeOptions: { multipleValues: true, sortable: true },
	placeholder: 'Add Message',
	default: { messages: [{ role: 'user', content: '' }] },
	displayOptions: { show: { inputMode: ['list'] } },
	options: [
		{
			displayName: 'Messages',
			name: 'messages',
			values: [
				{
					displayName: 'Role',
					name: 'role',
					type: 'options',
					options: [
						{ name: 'Assistant', value: 'assistant', description: 'An earlier answer of the model' },
						{ name: 'Developer', value: 'developer', description: 'Instructions for newer OpenAI models (replaces System)' },
						{ name: 'System', value: 'system', description: 'Instructions that set the behaviour of the model' },
						{ name: 'Tool', value: 'tool', description: 'The result of a tool call the model asked for' },
						{ name: 'User', value: 'user', description: 'What the user says or asks' },
					],
					default: 'user',
				},
				{
					displayName: 'Content',
					name: 'content',
					type: 'string',
					typeOptions: { rows: 4 },
					default: '',
					description: `The text of the message; expressions such as ${jsonExpression('text')} are allowed`,
				},
				{
					displayName: 'Tool Call ID',
					name: 'toolCallId',
					type: 'string',
					default: '',
					description: 'The ID of the tool call this message answers, from the assistant message\'s tool_calls',
					displayOptions: { show: { role: ['tool'] } },
				},
				{
					displayName: 'Tool Calls',
					name: 'toolCalls',
					type: 'json',
					default: '[]',
					description: 'The tool calls of this earlier answer as a JSON array, as the model returned them (the output\'s tool_calls)',
					displayOptions: { show: { role: ['assistant'] } },
				},
			],
		},
	],
};


const properties: INodeProperties[] = [
	modelField('getChatModels', 'gpt-4o-mini', 'gpt-4o-mini, llama3.2 or anthropic/claude-sonnet-4'),
	{
		displayName: 'Messages Input',
		name: 'inputMode',
		type: 'options',
		options: [
			{ name: 'Message List', value: 'list', description: 'Messages entered here, one by one' },
			{
				name: 'Messages (JSON)',
				value: 'json',
				description: 'A whole message array from an expression, e.g. a conversation with tool calls and their results',
			},
		],
		default: 'list',
	},
	messageList,
	{
		displayName: 'Messages (JSON)',
		name: 'messagesJson',
		type: 'json',
		default: '[\n  { "role": "user", "content": "Hello" }\n]',
		description:
			'An array of messages in OpenAI\'s format. An earlier output of this node can be given back as an assistant message as it is (its reasoning is sent back as the provider requires); tool results are {"role": "tool", "tool_call_id": "…", "content": "…"}.',
		displayOptions: { show: { inputMode: ['json'] } },
	},
	simplifyField,
	optionsCollection(chatOptions),
];

export const description = updateDisplayOptions({ show: { resource: ['chat'], operation: ['complete'] } }, properties);
