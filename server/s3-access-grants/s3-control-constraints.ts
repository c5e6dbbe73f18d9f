import type { ConstraintTable } from '../aws/model/constraint-table.js';
import { ModelPattern } from '../aws/input-validator.js';

const S3_PREFIX = { min: 1, max: 2000, pattern: new ModelPattern('^.+$') };
const APPLICATION_ARN = { min: 10, max: 1224, pattern: new ModelPattern('arn:[^:]+:sso::\\d{12}:application/.*$') };

/**
 * S3 Control's constraints for the S3 Access Grants operations, which the SDK's schemas leave out:
 * read from botocore's `s3control/2018-08-20/service-2.json` (botocore 1.34+). The enums (Permission,
 * Privilege, GranteeType, S3PrefixType) come from the SDK's own `enums.js` in the model.
 */
export const S3_CONTROL_CONSTRAINTS: ConstraintTable = {
  source: 'botocore/data/s3control/2018-08-20/service-2.json',
  shapes: {
    AccountId: { max: 64, pattern: new ModelPattern('^\\d{12}$') },
    S3Prefix: S3_PREFIX,
    DurationSeconds: { min: 900, max: 43200 },
    AuditContext: { min: 1, max: 2048 },
    IdentityCenterArn: { min: 10, max: 1224, pattern: new ModelPattern('arn:[^:]+:sso::(\\d{12}){0,1}:instance/.*$') },
    IdentityCenterApplicationArn: APPLICATION_ARN,
    IAMRoleArn: { min: 1, max: 2048, pattern: new ModelPattern('arn:[^:]+:iam::\\d{12}:role/.*') },
    AccessGrantsLocationId: { min: 1, max: 64, pattern: new ModelPattern('[a-zA-Z0-9\\-]+') },
    AccessGrantId: { min: 1, max: 64, pattern: new ModelPattern('[a-zA-Z0-9\\-]+') },
    MaxResults: { min: 0, max: 1000 },
    TagList: { min: 0, max: 50 },
    TagKeyString: { min: 1, max: 128, pattern: new ModelPattern('^([\\p{L}\\p{Z}\\p{N}_.:/=+\\-@]*)$') },
    TagValueString: { min: 0, max: 256, pattern: new ModelPattern('^([\\p{L}\\p{Z}\\p{N}_.:/=+\\-@]*)$') },
    S3PrefixType: { enum: ['Object'] },
  },
  members: {
    'GetDataAccessRequest.Target': 'S3Prefix',
    'GetDataAccessRequest.TargetType': 'S3PrefixType',
    'CreateAccessGrantsLocationRequest.LocationScope': 'S3Prefix',
    'ListAccessGrantsLocationsRequest.LocationScope': 'S3Prefix',
    'AccessGrantsLocationConfiguration.S3SubPrefix': 'S3Prefix',
    'ListAccessGrantsRequest.GrantScope': 'S3Prefix',
    'ListCallerAccessGrantsRequest.GrantScope': 'S3Prefix',
    'CreateAccessGrantRequest.ApplicationArn': 'IdentityCenterApplicationArn',
    'ListAccessGrantsRequest.ApplicationArn': 'IdentityCenterApplicationArn',
    'CreateAccessGrantRequest.Tags': 'TagList',
    'CreateAccessGrantsLocationRequest.Tags': 'TagList',
    'CreateAccessGrantsInstanceRequest.Tags': 'TagList',
    'Tag.Key': 'TagKeyString',
    'Tag.Value': 'TagValueString',
  },
};
